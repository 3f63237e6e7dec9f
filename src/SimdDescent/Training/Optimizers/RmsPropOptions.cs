namespace SimdDescent.Training.Optimizers;

/// <summary>Settings of <see cref="RmsProp{T}"/>, with PyTorch's names and defaults.</summary>
public sealed class RmsPropOptions
{
    /// <summary>γ, the learning rate (default 1e-2).</summary>
    public double LearningRate { get; init; } = 1e-2;

    /// <summary>α, the decay of the squared-gradient average (default 0.99).</summary>
    public double Alpha { get; init; } = 0.99;

    /// <summary>ε, added to the denominator (default 1e-8).</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>λ, the L2 penalty added to the gradient (default 0).</summary>
    public double WeightDecay { get; init; }

    /// <summary>μ, the momentum factor (default 0).</summary>
    public double Momentum { get; init; }

    /// <summary>Whether to normalize by the estimated variance instead of the raw second moment.</summary>
    public bool Centered { get; init; }
}
