namespace SimdDescent.Training.Optimizers;

/// <summary>Settings of <see cref="Adagrad{T}"/>, with PyTorch's names and defaults.</summary>
public sealed class AdagradOptions
{
    /// <summary>γ, the learning rate (default 1e-2).</summary>
    public double LearningRate { get; init; } = 1e-2;

    /// <summary>The learning-rate decay: step t uses γ / (1 + (t − 1)·decay) (default 0).</summary>
    public double LearningRateDecay { get; init; }

    /// <summary>λ, the L2 penalty added to the gradient (default 0).</summary>
    public double WeightDecay { get; init; }

    /// <summary>The starting value of the squared-gradient sum (default 0).</summary>
    public double InitialAccumulatorValue { get; init; }

    /// <summary>ε, added to the denominator (default 1e-10).</summary>
    public double Epsilon { get; init; } = 1e-10;
}
