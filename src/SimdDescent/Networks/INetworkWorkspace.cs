using System.Numerics;

namespace SimdDescent.Networks;

/// <summary>
/// The per-call state of a network: activations, backward scratch and a gradient arena, sized for
/// the declared maximum batch. Workspaces of one network share its read-only parameters, so each
/// thread can own one (parallel inference, data-parallel training shards) without locks. After
/// construction no member allocates.
/// </summary>
public interface INetworkWorkspace<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>The network whose parameters this workspace reads.</summary>
    INetwork<T> Network { get; }

    /// <summary>d(mean loss)/dθ from the last <see cref="Backward"/>, laid out exactly like <see cref="IModel{T}.Parameters"/>.</summary>
    Span<T> Gradients { get; }

    /// <summary>Training mode (dropout active) or inference mode.</summary>
    bool IsTraining { get; set; }

    /// <summary>Whether <see cref="Backward"/> also computes <see cref="InputGradients"/> (off by default: it costs one more GEMM).</summary>
    bool ComputeInputGradients { get; set; }

    /// <summary>
    /// d(mean loss)/d(inputs) of the last forward, batch × <c>InputWidth</c>, filled by <see cref="Backward"/>
    /// when <see cref="ComputeInputGradients"/> is set; empty otherwise. The gradient checker uses it.
    /// </summary>
    ReadOnlySpan<T> InputGradients { get; }

    /// <summary>Runs the network on <paramref name="batch"/> rows and returns the mean loss against integer labels.</summary>
    /// <exception cref="NotSupportedException">The network's loss takes real-valued targets.</exception>
    T Forward(ReadOnlySpan<T> inputs, ReadOnlySpan<int> labels, int batch);

    /// <summary>Runs the network on <paramref name="batch"/> rows and returns the mean loss against real-valued targets (batch × OutputWidth).</summary>
    /// <exception cref="NotSupportedException">The network's loss takes integer labels.</exception>
    T Forward(ReadOnlySpan<T> inputs, ReadOnlySpan<T> targets, int batch);

    /// <summary>Overwrites <see cref="Gradients"/> with the gradient of the last forward's mean loss.</summary>
    void Backward();

    /// <summary>Inference: writes the last layer's outputs (logits before the loss) for <paramref name="batch"/> rows.</summary>
    void Predict(ReadOnlySpan<T> inputs, Span<T> outputs, int batch);
}
