using System.Numerics;

namespace SimdDescent.Networks;

/// <summary>
/// What every generated network offers the trainer, the gradient checker and the file formats: one
/// contiguous parameter arena with named tensors, and workspaces that run it.
/// </summary>
public interface INetwork<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Features per input row.</summary>
    int InputWidth { get; }

    /// <summary>Outputs (logits) per row.</summary>
    int OutputWidth { get; }

    /// <summary>The largest batch a workspace accepts.</summary>
    int MaxBatch { get; }

    /// <summary>Whether the loss takes class labels or real-valued targets.</summary>
    TargetKind TargetKind { get; }

    /// <summary>Number of trainable parameters (the arena may be padded beyond this).</summary>
    int ParameterCount { get; }

    /// <summary>The tensors of the arena, in layer order.</summary>
    IReadOnlyList<TensorInfo> Tensors { get; }

    /// <summary>The layers in forward order, each with the tensors it reads; losses are not included.</summary>
    IReadOnlyList<LayerInfo> Layers { get; }

    /// <summary>Every parameter, <see cref="ParameterCount"/> elements.</summary>
    Span<T> Parameters { get; }

    /// <summary>The workspace the network's own Forward/Backward/Predict use.</summary>
    INetworkWorkspace<T> Workspace { get; }

    /// <summary>Creates another workspace over the same parameters (one per thread).</summary>
    INetworkWorkspace<T> CreateWorkspace();

    /// <summary>Re-initializes every parameter deterministically from <paramref name="seed"/>.</summary>
    void Initialize(ulong seed);
}
