using System.Numerics;

namespace SimdDescent.Training.Optimizers;

/// <summary>
/// Adam with decoupled weight decay (θ ← θ(1 − γλ) before the Adam step), following
/// <c>torch.optim.AdamW</c>. Same state as <see cref="Adam{T}"/>.
/// </summary>
public sealed class AdamW<T> : Adam<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>AdamW over one group of <paramref name="parameterCount"/> parameters.</summary>
    public AdamW(int parameterCount, AdamWOptions options)
        : this(ParameterLayout.Single(parameterCount), options)
    {
    }

    /// <summary>AdamW over a layout with parameter groups.</summary>
    public AdamW(ParameterLayout layout, AdamWOptions options)
        : base(layout, options, decoupled: true)
    {
    }
}
