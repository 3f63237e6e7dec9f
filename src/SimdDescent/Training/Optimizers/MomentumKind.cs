namespace SimdDescent.Training.Optimizers;

/// <summary>What an optimizer group's <see cref="OptimizerGroup.Momentum"/> drives, as PyTorch's schedulers tell them apart.</summary>
public enum MomentumKind
{
    /// <summary>The optimizer keeps no momentum (Adagrad, or SGD and RMSprop built with momentum 0, which allocate no buffer).</summary>
    None,

    /// <summary>μ, the momentum factor of SGD and RMSprop (PyTorch's <c>momentum</c>); finite and ≥ 0.</summary>
    Momentum,

    /// <summary>β₁, the first-moment decay of Adam and AdamW (PyTorch's <c>betas[0]</c>); in [0, 1).</summary>
    Beta1,
}
