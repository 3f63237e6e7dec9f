using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Kernels.Drivers;

/// <summary>Helpers for the element types the kernels support (float and double).</summary>
internal static class Scalar<T>
    where T : unmanaged
{
    /// <summary>True for the element types the kernels are written for; a JIT-time constant.</summary>
    public static bool IsSupported => typeof(T) == typeof(float) || typeof(T) == typeof(double);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void ThrowIfUnsupported()
    {
        if (!IsSupported)
        {
            ThrowUnsupported();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T FromInt32(int value)
    {
        if (typeof(T) == typeof(float))
        {
            return (T)(object)(float)value;
        }

        return (T)(object)(double)value;
    }

    /// <summary>Merges the lanes of a 128-bit register pairwise, halves first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MergeLanes<TOp>(in TOp op, Vector128<T> value)
        where TOp : struct, IReductionOperator<T>
    {
        if (Vector128<T>.Count == 4)
        {
            return op.Merge(op.Merge(value[0], value[2]), op.Merge(value[1], value[3]));
        }

        return op.Merge(value[0], value[1]);
    }

    private static void ThrowUnsupported() =>
        throw new NotSupportedException($"SimdDescent kernels support float and double, not {typeof(T).Name}.");
}
