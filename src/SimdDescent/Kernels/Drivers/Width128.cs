using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using SimdDescent.Kernels.Functions;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Kernels.Drivers;

/// <summary>The 128-bit width for the generic drivers and math kernels.</summary>
internal readonly struct Width128<T> : ISimdWidth<T, Vector128<T>>
    where T : unmanaged
{
    public static int Count => Vector128<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Load(ref T source, nuint index) => Vector128.LoadUnsafe(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector128<T> value, ref T destination, nuint index) => value.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Broadcast(T value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> LastLanesMask(int lanes) =>
        Vector128.GreaterThanOrEqual(Vector128<T>.Indices, Vector128.Create(Scalar<T>.FromInt32(Count - lanes)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Select(Vector128<T> mask, Vector128<T> onTrue, Vector128<T> onFalse) =>
        Vector128.ConditionalSelect(mask, onTrue, onFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Add(Vector128<T> a, Vector128<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Subtract(Vector128<T> a, Vector128<T> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Multiply(Vector128<T> a, Vector128<T> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Divide(Vector128<T> a, Vector128<T> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MultiplyAdd(Vector128<T> a, Vector128<T> b, Vector128<T> c) => VectorMath.MultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Sqrt(Vector128<T> x) => Vector128.Sqrt(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MinNative(Vector128<T> a, Vector128<T> b) => Vector128.MinNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> MaxNative(Vector128<T> a, Vector128<T> b) => Vector128.MaxNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Maximum(Vector128<T> a, Vector128<T> b) => VectorMath.Maximum(a, b);

    // On x86 the IEEE maximum takes up to nine instructions; maxps(0, x) returns x for a NaN x and for
    // x = ±0, and clearing the sign then gives NaN, +0 and max(x, 0) everywhere else in two.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> PositivePart(Vector128<T> x) =>
        Sse.IsSupported ? Vector128.Abs(Vector128.MaxNative(Vector128<T>.Zero, x)) : Vector128.Max(x, Vector128<T>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Abs(Vector128<T> x) => Vector128.Abs(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Floor(Vector128<T> x) =>
        typeof(T) == typeof(float) ? Vector128.Floor(x.AsSingle()).As<float, T>() : Vector128.Floor(x.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> FlushSubnormals(Vector128<T> x) => Vector128.AndNot(x, Vector128.LessThan(Vector128.Abs(x), Vector128.Create(C<T>.MinNormal)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> LessThan(Vector128<T> a, Vector128<T> b) => Vector128.LessThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> GreaterThan(Vector128<T> a, Vector128<T> b) => Vector128.GreaterThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> IsNaN(Vector128<T> x) => Vector128.IsNaN(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Equal(Vector128<T> a, Vector128<T> b) => Vector128.Equals(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Or(Vector128<T> a, Vector128<T> b) => a | b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong LaneBits(Vector128<T> mask) => mask.ExtractMostSignificantBits();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> CopySign(Vector128<T> value, Vector128<T> sign) => Vector128.CopySign(value, sign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> PowerOfTwo(Vector128<T> n)
    {
        // Adding the magic constant leaves n + bias in the low mantissa bits; shifting that into the
        // exponent field builds 2^n without a float→int conversion (not vectorized for double on AVX2).
        var biased = n + Vector128.Create(Scalar<T>.PowerOfTwoMagic);
        if (typeof(T) == typeof(float))
        {
            var bitsOfN = biased.AsInt32() - Vector128.Create(Scalar<float>.RoundingMagicBits32);
            return Vector128.ShiftLeft(bitsOfN, 23).As<int, T>();
        }

        var bits64 = biased.AsInt64() - Vector128.Create(Scalar<double>.RoundingMagicBits64);
        return Vector128.ShiftLeft(bits64, 52).As<long, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> ScaleByPowerOfTwo(Vector128<T> value, Vector128<T> n)
    {
        if (!Avx512F.VL.IsSupported)
        {
            return PortableWidth.ScaleByPowerOfTwo<T, Width128<T>, Vector128<T>>(value, n);
        }

        // vscalef: one instruction, one rounding, IEEE overflow and gradual underflow.
        return typeof(T) == typeof(float)
            ? Avx512F.VL.Scale(value.AsSingle(), n.AsSingle()).As<float, T>()
            : Avx512F.VL.Scale(value.AsDouble(), n.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Mantissa(Vector128<T> x)
    {
        if (typeof(T) == typeof(float))
        {
            return ((x.AsInt32() & Vector128.Create(0x007FFFFF)) | Vector128.Create(0x3F800000)).As<int, T>();
        }

        return ((x.AsInt64() & Vector128.Create(0x000FFFFFFFFFFFFFL)) | Vector128.Create(0x3FF0000000000000L)).As<long, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> Exponent(Vector128<T> x)
    {
        // The biased exponent is placed in the mantissa of 2^23 (2^52) and the sum's value read back, which
        // converts it without an int→float instruction (not vectorized for 64-bit lanes on AVX2).
        if (typeof(T) == typeof(float))
        {
            var biased = Vector128.ShiftRightLogical(x.AsInt32(), 23) & Vector128.Create(0xFF);
            return (biased | Vector128.Create(0x4B000000)).As<int, T>() - Vector128.Create(Scalar<T>.ExponentBiasPlusMagic);
        }

        var biased64 = Vector128.ShiftRightLogical(x.AsInt64(), 52) & Vector128.Create(0x7FFL);
        return (biased64 | Vector128.Create(0x4330000000000000L)).As<long, T>() - Vector128.Create(Scalar<T>.ExponentBiasPlusMagic);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> ReducedMantissa(Vector128<T> x)
    {
        if (!Avx512F.VL.IsSupported)
        {
            return PortableWidth.ReducedMantissa<T, Width128<T>, Vector128<T>>(x);
        }

        // vgetmant, control 0b0011: the mantissa normalized into [3/4, 3/2), subnormals included.
        return typeof(T) == typeof(float)
            ? Avx512F.VL.GetMantissa(x.AsSingle(), 0b0011).As<float, T>()
            : Avx512F.VL.GetMantissa(x.AsDouble(), 0b0011).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<T> ReducedExponent(Vector128<T> x, Vector128<T> m)
    {
        if (!Avx512F.VL.IsSupported)
        {
            return PortableWidth.ReducedExponent<T, Width128<T>, Vector128<T>>(x, m);
        }

        // vgetexp gives floor(log2 x); the mantissa in [3/4, 1) has exponent −1, which moves into e.
        return typeof(T) == typeof(float)
            ? (Avx512F.VL.GetExponent(x.AsSingle()) - Avx512F.VL.GetExponent(m.AsSingle())).As<float, T>()
            : (Avx512F.VL.GetExponent(x.AsDouble()) - Avx512F.VL.GetExponent(m.AsDouble())).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MergeLanes<TOp>(in TOp op, Vector128<T> value) where TOp : struct, IReductionOperator<T> =>
        Scalar<T>.MergeLanes(op, value);
}
