using System.Numerics;

namespace SimdDescent.Networks;

/// <summary>
/// A generated network or language model declared with <see cref="LoraAdaptersAttribute"/>: its
/// <see cref="IModel{T}.Parameters"/> are the adapters (what an optimizer trains), and <see cref="Base"/> is the
/// frozen base model under its usual tensor names, to load pretrained weights into and to save once merged.
/// </summary>
public interface IAdaptedModel<T> : IModel<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>The frozen base weights as a model of their own; its <see cref="IModel{T}.Initialize"/> re-initializes base and adapters.</summary>
    IModel<T> Base { get; }

    /// <summary>The targeted modules that carry an adapter (<see cref="LoraOptions.Targets"/>'s names), in arena order.</summary>
    IReadOnlyList<string> AdapterTargets { get; }

    /// <summary>The adapters' rank r.</summary>
    int AdapterRank { get; }

    /// <summary>The adapters' α: their output is scaled by α/r.</summary>
    double AdapterAlpha { get; }

    /// <summary>Whether the adapters are folded into the base weights.</summary>
    bool AdaptersMerged { get; }

    /// <summary>Folds every adapter into its base weight (W += (α/r)·Aᵀ·Bᵀ), so prediction costs what the base model costs.</summary>
    /// <exception cref="InvalidOperationException">The adapters are already merged.</exception>
    void MergeAdapters();

    /// <summary>Takes the adapters back out of the base weights (to rounding).</summary>
    /// <exception cref="InvalidOperationException">The adapters are not merged.</exception>
    void UnmergeAdapters();
}
