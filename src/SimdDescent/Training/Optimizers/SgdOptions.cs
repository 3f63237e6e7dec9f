namespace SimdDescent.Training.Optimizers;

/// <summary>Settings of <see cref="Sgd{T}"/>, with PyTorch's names and defaults.</summary>
public sealed class SgdOptions
{
    /// <summary>γ, the learning rate (default 1e-3).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>μ, the momentum factor (default 0: no momentum buffer).</summary>
    public double Momentum { get; init; }

    /// <summary>τ, the dampening of the gradient added to the momentum buffer (default 0).</summary>
    public double Dampening { get; init; }

    /// <summary>λ, the L2 penalty added to the gradient (default 0).</summary>
    public double WeightDecay { get; init; }

    /// <summary>Whether to use Nesterov momentum (needs momentum &gt; 0 and dampening 0).</summary>
    public bool Nesterov { get; init; }
}
