using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Kernels.Drivers;

/// <summary>Helpers for the element types the kernels support (float and double).</summary>
internal static class Scalar<T>
    where T : unmanaged
{
    /// <summary>True for the element types the kernels are written for; a JIT-time constant.</summary>
    public static bool IsSupported
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => typeof(T) == typeof(float) || typeof(T) == typeof(double);
    }

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

    /// <summary>1.5·2^23 (float) or 1.5·2^52 (double): adding and subtracting it rounds to an integer.</summary>
    public static T RoundingMagic
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => typeof(T) == typeof(float) ? (T)(object)12582912f : (T)(object)6755399441055744d;
    }

    /// <summary>The bit pattern of the float <see cref="RoundingMagic"/>.</summary>
    public static int RoundingMagicBits32
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => 0x4B400000;
    }

    /// <summary>The bit pattern of the double <see cref="RoundingMagic"/>.</summary>
    public static long RoundingMagicBits64
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => 0x4338000000000000L;
    }

    /// <summary><see cref="RoundingMagic"/> plus the exponent bias: n + this holds the biased exponent of 2^n in its low bits.</summary>
    public static T PowerOfTwoMagic
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => typeof(T) == typeof(float) ? (T)(object)(12582912f + 127f) : (T)(object)(6755399441055744d + 1023d);
    }

    /// <summary>2^23 + 127 (float) or 2^52 + 1023 (double): turns a biased exponent placed in the mantissa back into its value.</summary>
    public static T ExponentBiasPlusMagic
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => typeof(T) == typeof(float) ? (T)(object)(8388608f + 127f) : (T)(object)(4503599627370496d + 1023d);
    }

    /// <summary>Merges the lanes of a 128-bit register pairwise, halves first.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MergeLanes<TOp>(in TOp op, Vector128<T> value)
        where TOp : struct, IReductionOperator<T>
    {
        if (Vector128<T>.Count == 4)
        {
            return op.Merge<ScalarWidth<T>, T>(op.Merge<ScalarWidth<T>, T>(value[0], value[2]), op.Merge<ScalarWidth<T>, T>(value[1], value[3]));
        }

        return op.Merge<ScalarWidth<T>, T>(value[0], value[1]);
    }

    private static void ThrowUnsupported() =>
        throw new NotSupportedException($"SimdDescent kernels support float and double, not {typeof(T).Name}.");
}
