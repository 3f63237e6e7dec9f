namespace SimdDescent.IO.Safetensors;

/// <summary>The element types SimdDescent reads and writes in safetensors files; others are rejected.</summary>
public enum SafetensorsDType
{
    /// <summary>IEEE 754 binary32, little-endian: <see cref="float"/>.</summary>
    F32,

    /// <summary>IEEE 754 binary64, little-endian: <see cref="double"/>.</summary>
    F64,

    /// <summary>
    /// Two's-complement 64-bit integer, little-endian: <see cref="long"/>. Read only, converted to a floating-point
    /// type, for the counts PyTorch keeps as integers (BatchNorm's <c>num_batches_tracked</c>).
    /// </summary>
    I64,
}

/// <summary>Sizes, names and CLR types of <see cref="SafetensorsDType"/>.</summary>
internal static class SafetensorsDTypes
{
    public static int SizeOf(SafetensorsDType dtype) => dtype == SafetensorsDType.F32 ? sizeof(float) : sizeof(double);

    /// <summary>The name the format uses, which is also the enum member's name.</summary>
    public static string NameOf(SafetensorsDType dtype) => dtype switch
    {
        SafetensorsDType.F32 => "F32",
        SafetensorsDType.F64 => "F64",
        _ => "I64",
    };

    public static bool TryParse(string name, out SafetensorsDType dtype)
    {
        switch (name)
        {
            case "F32":
                dtype = SafetensorsDType.F32;
                return true;
            case "F64":
                dtype = SafetensorsDType.F64;
                return true;
            case "I64":
                dtype = SafetensorsDType.I64;
                return true;
            default:
                dtype = default;
                return false;
        }
    }

    /// <summary>The dtype stored as <typeparamref name="T"/>.</summary>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither <see cref="float"/> nor <see cref="double"/>.</exception>
    public static SafetensorsDType Of<T>() =>
        typeof(T) == typeof(float) ? SafetensorsDType.F32
        : typeof(T) == typeof(double) ? SafetensorsDType.F64
        : throw new NotSupportedException($"Safetensors data can be read as float (F32) or double (F64), not {typeof(T).Name}.");
}
