namespace SimdDescent.Training.Optimizers;

/// <summary>Settings of <see cref="Adam{T}"/>, with PyTorch's names and defaults.</summary>
public class AdamOptions
{
    /// <summary>γ, the learning rate (default 1e-3).</summary>
    public double LearningRate { get; init; } = 1e-3;

    /// <summary>β₁, the decay of the first-moment average (default 0.9).</summary>
    public double Beta1 { get; init; } = 0.9;

    /// <summary>β₂, the decay of the second-moment average (default 0.999).</summary>
    public double Beta2 { get; init; } = 0.999;

    /// <summary>ε, added to the denominator (default 1e-8).</summary>
    public double Epsilon { get; init; } = 1e-8;

    /// <summary>λ: an L2 penalty on the gradient for Adam, decoupled decay for AdamW (default 0; AdamW 1e-2).</summary>
    public double WeightDecay { get; init; }

    /// <summary>Whether to use the maximum of past second moments (AMSGrad).</summary>
    public bool AmsGrad { get; init; }
}
