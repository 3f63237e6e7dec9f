namespace SimdDescent.Training.Lbfgs;

/// <summary>Settings of <see cref="Lbfgs{T}"/>, with the names and defaults of <c>torch.optim.LBFGS</c> (except the line search, on by default here).</summary>
public sealed class LbfgsOptions
{
    /// <summary>The step length (the initial trial step with line search; default 1).</summary>
    public double LearningRate { get; init; } = 1;

    /// <summary>Iterations at most (PyTorch's <c>max_iter</c>, default 20).</summary>
    public int MaxIterations { get; init; } = 20;

    /// <summary>Function evaluations at most (PyTorch's <c>max_eval</c>; default 1.25 × <see cref="MaxIterations"/>).</summary>
    public int? MaxEvaluations { get; init; }

    /// <summary>Stop when max |∇f| falls to this (PyTorch's <c>tolerance_grad</c>, default 1e-7).</summary>
    public double GradientTolerance { get; init; } = 1e-7;

    /// <summary>Stop when the loss or the step changes less than this (PyTorch's <c>tolerance_change</c>, default 1e-9).</summary>
    public double ChangeTolerance { get; init; } = 1e-9;

    /// <summary>Correction pairs kept (PyTorch's <c>history_size</c>, default 100).</summary>
    public int HistorySize { get; init; } = 100;

    /// <summary>Whether to choose each step by a strong-Wolfe line search (default true); otherwise the step is the learning rate.</summary>
    public bool StrongWolfeLineSearch { get; init; } = true;
}
