using System.Diagnostics;
using System.Runtime.CompilerServices;
using SimdDescent.Kernels.Functions;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Kernels.Drivers;

/// <summary>The scalar "width" (one element per register) for the generic drivers: the reference path.</summary>
internal readonly struct ScalarWidth<T> : ISimdWidth<T, T>
    where T : unmanaged
{
    public static int Count => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Load(ref T source, nuint index) => Unsafe.Add(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(T value, ref T destination, nuint index) => Unsafe.Add(ref destination, index) = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Broadcast(T value) => value;

    // A one-lane register never has a partial tail, so the drivers never ask for this mask.
    public static T LastLanesMask(int lanes) => throw new UnreachableException();

    /// <summary>Masks are all-ones or all-zero bit patterns, as in the vector widths.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Select(T mask, T onTrue, T onFalse) => IsSet(mask) ? onTrue : onFalse;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Add(T a, T b) => typeof(T) == typeof(float) ? As((float)(object)a + (float)(object)b) : As((double)(object)a + (double)(object)b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Subtract(T a, T b) => typeof(T) == typeof(float) ? As((float)(object)a - (float)(object)b) : As((double)(object)a - (double)(object)b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Multiply(T a, T b) => typeof(T) == typeof(float) ? As((float)(object)a * (float)(object)b) : As((double)(object)a * (double)(object)b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Divide(T a, T b) => typeof(T) == typeof(float) ? As((float)(object)a / (float)(object)b) : As((double)(object)a / (double)(object)b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MultiplyAdd(T a, T b, T c) => typeof(T) == typeof(float)
        ? As(float.MultiplyAddEstimate((float)(object)a, (float)(object)b, (float)(object)c))
        : As(double.MultiplyAddEstimate((double)(object)a, (double)(object)b, (double)(object)c));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Sqrt(T x) => typeof(T) == typeof(float) ? As(float.Sqrt((float)(object)x)) : As(double.Sqrt((double)(object)x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MinNative(T a, T b) => typeof(T) == typeof(float) ? As(float.MinNative((float)(object)a, (float)(object)b)) : As(double.MinNative((double)(object)a, (double)(object)b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MaxNative(T a, T b) => typeof(T) == typeof(float) ? As(float.MaxNative((float)(object)a, (float)(object)b)) : As(double.MaxNative((double)(object)a, (double)(object)b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Maximum(T a, T b) => typeof(T) == typeof(float) ? As(float.Max((float)(object)a, (float)(object)b)) : As(double.Max((double)(object)a, (double)(object)b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T PositivePart(T x) => Maximum(x, C<T>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Abs(T x) => typeof(T) == typeof(float) ? As(float.Abs((float)(object)x)) : As(double.Abs((double)(object)x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Floor(T x) => typeof(T) == typeof(float) ? As(float.Floor((float)(object)x)) : As(double.Floor((double)(object)x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T FlushSubnormals(T x) => IsSet(LessThan(Abs(x), C<T>.MinNormal)) ? C<T>.Zero : x;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T LessThan(T a, T b) => Mask(typeof(T) == typeof(float) ? (float)(object)a < (float)(object)b : (double)(object)a < (double)(object)b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T GreaterThan(T a, T b) => LessThan(b, a);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T IsNaN(T x) => Mask(typeof(T) == typeof(float) ? float.IsNaN((float)(object)x) : double.IsNaN((double)(object)x));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Equal(T a, T b) => Mask(typeof(T) == typeof(float) ? (float)(object)a == (float)(object)b : (double)(object)a == (double)(object)b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Or(T a, T b) => Mask(IsSet(a) || IsSet(b));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong LaneBits(T mask) => IsSet(mask) ? 1UL : 0UL;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T CopySign(T value, T sign) => typeof(T) == typeof(float)
        ? As(float.CopySign((float)(object)value, (float)(object)sign))
        : As(double.CopySign((double)(object)value, (double)(object)sign));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T PowerOfTwo(T n) => typeof(T) == typeof(float)
        ? As(float.ScaleB(1f, (int)(float)(object)n))
        : As(double.ScaleB(1d, (int)(double)(object)n));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ScaleByPowerOfTwo(T value, T n) => typeof(T) == typeof(float)
        ? As(float.ScaleB((float)(object)value, (int)(float)(object)n))
        : As(double.ScaleB((double)(object)value, (int)(double)(object)n));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Mantissa(T x) => typeof(T) == typeof(float)
        ? As(BitConverter.Int32BitsToSingle((BitConverter.SingleToInt32Bits((float)(object)x) & 0x007FFFFF) | 0x3F800000))
        : As(BitConverter.Int64BitsToDouble((BitConverter.DoubleToInt64Bits((double)(object)x) & 0x000FFFFFFFFFFFFFL) | 0x3FF0000000000000L));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Exponent(T x) => typeof(T) == typeof(float)
        ? As((float)(((BitConverter.SingleToInt32Bits((float)(object)x) >> 23) & 0xFF) - 127))
        : As((double)(((BitConverter.DoubleToInt64Bits((double)(object)x) >> 52) & 0x7FF) - 1023));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ReducedMantissa(T x) => PortableWidth.ReducedMantissa<T, ScalarWidth<T>, T>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T ReducedExponent(T x, T m) => PortableWidth.ReducedExponent<T, ScalarWidth<T>, T>(x, m);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MergeLanes<TOp>(in TOp op, T value) where TOp : struct, IReductionOperator<T> => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T As<TFrom>(TFrom value) => (T)(object)value!;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T Mask(bool set) => typeof(T) == typeof(float)
        ? As(BitConverter.Int32BitsToSingle(set ? -1 : 0))
        : As(BitConverter.Int64BitsToDouble(set ? -1L : 0L));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsSet(T mask) => typeof(T) == typeof(float)
        ? BitConverter.SingleToInt32Bits((float)(object)mask) != 0
        : BitConverter.DoubleToInt64Bits((double)(object)mask) != 0;
}
