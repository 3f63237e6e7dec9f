namespace SimdDescent.IO.Safetensors;

/// <summary>One tensor as a safetensors header describes it; its data stays in the file until copied out.</summary>
public sealed class SafetensorsTensorInfo
{
    private readonly int[] _shape;

    internal SafetensorsTensorInfo(string name, SafetensorsDType dtype, int[] shape, long elementCount, long dataOffset) =>
        (Name, DType, _shape, ElementCount, DataOffset) = (name, dtype, shape, elementCount, dataOffset);

    /// <summary>The tensor's name, such as <c>0.weight</c>.</summary>
    public string Name { get; }

    /// <summary>The element type.</summary>
    public SafetensorsDType DType { get; }

    /// <summary>The size of each dimension, outermost first (row-major); empty for a scalar.</summary>
    public ReadOnlySpan<int> Shape => _shape;

    /// <summary>The product of the shape: how many elements the tensor holds (1 for a scalar).</summary>
    public long ElementCount { get; }

    /// <summary>Where the data starts, in bytes from the start of the data section (the header's data_offsets[0]).</summary>
    public long DataOffset { get; }

    /// <summary>The data's length in bytes: <see cref="ElementCount"/> × the size of <see cref="DType"/>.</summary>
    public long ByteLength => ElementCount * SafetensorsDTypes.SizeOf(DType);

    /// <summary>The shape written as in the header, e.g. <c>[128, 784]</c>, for messages.</summary>
    public override string ToString() => $"{Name}: {SafetensorsDTypes.NameOf(DType)} {FormatShape(_shape)}";

    internal static string FormatShape(ReadOnlySpan<int> shape) => $"[{string.Join(", ", shape.ToArray())}]";
}
