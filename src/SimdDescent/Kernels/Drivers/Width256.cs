using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using SimdDescent.Kernels.Functions;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Kernels.Drivers;

/// <summary>The 256-bit width for the generic drivers and math kernels.</summary>
internal readonly struct Width256<T> : ISimdWidth<T, Vector256<T>>
    where T : unmanaged
{
    public static int Count => Vector256<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Load(ref T source, nuint index) => Vector256.LoadUnsafe(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector256<T> value, ref T destination, nuint index) => value.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Broadcast(T value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> LastLanesMask(int lanes) =>
        Vector256.GreaterThanOrEqual(Vector256<T>.Indices, Vector256.Create(Scalar<T>.FromInt32(Count - lanes)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Select(Vector256<T> mask, Vector256<T> onTrue, Vector256<T> onFalse) =>
        Vector256.ConditionalSelect(mask, onTrue, onFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Add(Vector256<T> a, Vector256<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Subtract(Vector256<T> a, Vector256<T> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Multiply(Vector256<T> a, Vector256<T> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Divide(Vector256<T> a, Vector256<T> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MultiplyAdd(Vector256<T> a, Vector256<T> b, Vector256<T> c) => VectorMath.MultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Sqrt(Vector256<T> x) => Vector256.Sqrt(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MinNative(Vector256<T> a, Vector256<T> b) => Vector256.MinNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> MaxNative(Vector256<T> a, Vector256<T> b) => Vector256.MaxNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Maximum(Vector256<T> a, Vector256<T> b) => VectorMath.Maximum(a, b);

    // On x86 the IEEE maximum takes up to nine instructions; maxps(0, x) returns x for a NaN x and for
    // x = ±0, and clearing the sign then gives NaN, +0 and max(x, 0) everywhere else in two.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> PositivePart(Vector256<T> x) =>
        Avx.IsSupported ? Vector256.Abs(Vector256.MaxNative(Vector256<T>.Zero, x)) : Vector256.Max(x, Vector256<T>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Abs(Vector256<T> x) => Vector256.Abs(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Floor(Vector256<T> x) =>
        typeof(T) == typeof(float) ? Vector256.Floor(x.AsSingle()).As<float, T>() : Vector256.Floor(x.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> FlushSubnormals(Vector256<T> x) => Vector256.AndNot(x, Vector256.LessThan(Vector256.Abs(x), Vector256.Create(C<T>.MinNormal)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> LessThan(Vector256<T> a, Vector256<T> b) => Vector256.LessThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> GreaterThan(Vector256<T> a, Vector256<T> b) => Vector256.GreaterThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> IsNaN(Vector256<T> x) => Vector256.IsNaN(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Equal(Vector256<T> a, Vector256<T> b) => Vector256.Equals(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Or(Vector256<T> a, Vector256<T> b) => a | b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong LaneBits(Vector256<T> mask) => mask.ExtractMostSignificantBits();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> CopySign(Vector256<T> value, Vector256<T> sign) => Vector256.CopySign(value, sign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> PowerOfTwo(Vector256<T> n)
    {
        // Adding the magic constant leaves n + bias in the low mantissa bits; shifting that into the
        // exponent field builds 2^n without a float→int conversion (not vectorized for double on AVX2).
        var biased = n + Vector256.Create(Scalar<T>.PowerOfTwoMagic);
        if (typeof(T) == typeof(float))
        {
            var bitsOfN = biased.AsInt32() - Vector256.Create(Scalar<float>.RoundingMagicBits32);
            return Vector256.ShiftLeft(bitsOfN, 23).As<int, T>();
        }

        var bits64 = biased.AsInt64() - Vector256.Create(Scalar<double>.RoundingMagicBits64);
        return Vector256.ShiftLeft(bits64, 52).As<long, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> ScaleByPowerOfTwo(Vector256<T> value, Vector256<T> n)
    {
        if (!Avx512F.VL.IsSupported)
        {
            return PortableWidth.ScaleByPowerOfTwo<T, Width256<T>, Vector256<T>>(value, n);
        }

        // vscalef: one instruction, one rounding, IEEE overflow and gradual underflow.
        return typeof(T) == typeof(float)
            ? Avx512F.VL.Scale(value.AsSingle(), n.AsSingle()).As<float, T>()
            : Avx512F.VL.Scale(value.AsDouble(), n.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Mantissa(Vector256<T> x)
    {
        if (typeof(T) == typeof(float))
        {
            return ((x.AsInt32() & Vector256.Create(0x007FFFFF)) | Vector256.Create(0x3F800000)).As<int, T>();
        }

        return ((x.AsInt64() & Vector256.Create(0x000FFFFFFFFFFFFFL)) | Vector256.Create(0x3FF0000000000000L)).As<long, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> Exponent(Vector256<T> x)
    {
        // The biased exponent is placed in the mantissa of 2^23 (2^52) and the sum's value read back, which
        // converts it without an int→float instruction (not vectorized for 64-bit lanes on AVX2).
        if (typeof(T) == typeof(float))
        {
            var biased = Vector256.ShiftRightLogical(x.AsInt32(), 23) & Vector256.Create(0xFF);
            return (biased | Vector256.Create(0x4B000000)).As<int, T>() - Vector256.Create(Scalar<T>.ExponentBiasPlusMagic);
        }

        var biased64 = Vector256.ShiftRightLogical(x.AsInt64(), 52) & Vector256.Create(0x7FFL);
        return (biased64 | Vector256.Create(0x4330000000000000L)).As<long, T>() - Vector256.Create(Scalar<T>.ExponentBiasPlusMagic);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> ReducedMantissa(Vector256<T> x)
    {
        if (!Avx512F.VL.IsSupported)
        {
            return PortableWidth.ReducedMantissa<T, Width256<T>, Vector256<T>>(x);
        }

        // vgetmant, control 0b0011: the mantissa normalized into [3/4, 3/2), subnormals included.
        return typeof(T) == typeof(float)
            ? Avx512F.VL.GetMantissa(x.AsSingle(), 0b0011).As<float, T>()
            : Avx512F.VL.GetMantissa(x.AsDouble(), 0b0011).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<T> ReducedExponent(Vector256<T> x, Vector256<T> m)
    {
        if (!Avx512F.VL.IsSupported)
        {
            return PortableWidth.ReducedExponent<T, Width256<T>, Vector256<T>>(x, m);
        }

        // vgetexp gives floor(log2 x); the mantissa in [3/4, 1) has exponent −1, which moves into e.
        return typeof(T) == typeof(float)
            ? (Avx512F.VL.GetExponent(x.AsSingle()) - Avx512F.VL.GetExponent(m.AsSingle())).As<float, T>()
            : (Avx512F.VL.GetExponent(x.AsDouble()) - Avx512F.VL.GetExponent(m.AsDouble())).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MergeLanes<TOp>(in TOp op, Vector256<T> value) where TOp : struct, IReductionOperator<T> =>
        Width128<T>.MergeLanes(op, op.Merge<Width128<T>, Vector128<T>>(value.GetLower(), value.GetUpper()));
}
