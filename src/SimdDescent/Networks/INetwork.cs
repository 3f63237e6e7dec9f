using System.Numerics;

namespace SimdDescent.Networks;

/// <summary>
/// What every generated network of feature rows offers the trainer, the gradient checker and the file
/// formats: the parameter arena of <see cref="IModel{T}"/>, and workspaces that run it.
/// </summary>
public interface INetwork<T> : IModel<T>
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

    /// <summary>The layers in forward order, each with the tensors it reads; losses are not included.</summary>
    IReadOnlyList<LayerInfo> Layers { get; }

    /// <summary>The workspace the network's own Forward/Backward/Predict use.</summary>
    INetworkWorkspace<T> Workspace { get; }

    /// <summary>Creates another workspace over the same parameters (one per thread).</summary>
    INetworkWorkspace<T> CreateWorkspace();
}
