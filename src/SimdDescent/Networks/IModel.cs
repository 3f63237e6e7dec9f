using System.Numerics;

namespace SimdDescent.Networks;

/// <summary>
/// What every generated model offers optimizers and the file formats: one contiguous parameter arena with
/// named tensors, and a deterministic initialization.
/// </summary>
public interface IModel<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Number of trainable parameters (the arena may be padded beyond this).</summary>
    int ParameterCount { get; }

    /// <summary>The tensors of the arena, in layer order.</summary>
    IReadOnlyList<TensorInfo> Tensors { get; }

    /// <summary>Every parameter, <see cref="ParameterCount"/> elements.</summary>
    Span<T> Parameters { get; }

    /// <summary>Re-initializes every parameter deterministically from <paramref name="seed"/>.</summary>
    void Initialize(ulong seed);
}
