using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using SimdDescent.Kernels.Functions;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Kernels.Drivers;

/// <summary>The 512-bit width for the generic drivers and math kernels.</summary>
internal readonly struct Width512<T> : ISimdWidth<T, Vector512<T>>
    where T : unmanaged
{
    public static int Count => Vector512<T>.Count;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Load(ref T source, nuint index) => Vector512.LoadUnsafe(ref source, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(Vector512<T> value, ref T destination, nuint index) => value.StoreUnsafe(ref destination, index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Broadcast(T value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> LastLanesMask(int lanes) =>
        Vector512.GreaterThanOrEqual(Vector512<T>.Indices, Vector512.Create(Scalar<T>.FromInt32(Count - lanes)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Select(Vector512<T> mask, Vector512<T> onTrue, Vector512<T> onFalse) =>
        Vector512.ConditionalSelect(mask, onTrue, onFalse);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Add(Vector512<T> a, Vector512<T> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Subtract(Vector512<T> a, Vector512<T> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Multiply(Vector512<T> a, Vector512<T> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Divide(Vector512<T> a, Vector512<T> b) => a / b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MultiplyAdd(Vector512<T> a, Vector512<T> b, Vector512<T> c) => VectorMath.MultiplyAdd(a, b, c);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Sqrt(Vector512<T> x) => Vector512.Sqrt(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MinNative(Vector512<T> a, Vector512<T> b) => Vector512.MinNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> MaxNative(Vector512<T> a, Vector512<T> b) => Vector512.MaxNative(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Maximum(Vector512<T> a, Vector512<T> b) => Vector512.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> PositivePart(Vector512<T> x) => Vector512.Max(x, Vector512<T>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Abs(Vector512<T> x) => Vector512.Abs(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Floor(Vector512<T> x) =>
        typeof(T) == typeof(float) ? Vector512.Floor(x.AsSingle()).As<float, T>() : Vector512.Floor(x.AsDouble()).As<double, T>();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> FlushSubnormals(Vector512<T> x) => Vector512.AndNot(x, Vector512.LessThan(Vector512.Abs(x), Vector512.Create(C<T>.MinNormal)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> LessThan(Vector512<T> a, Vector512<T> b) => Vector512.LessThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> GreaterThan(Vector512<T> a, Vector512<T> b) => Vector512.GreaterThan(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> IsNaN(Vector512<T> x) => Vector512.IsNaN(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Equal(Vector512<T> a, Vector512<T> b) => Vector512.Equals(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Or(Vector512<T> a, Vector512<T> b) => a | b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong LaneBits(Vector512<T> mask) => mask.ExtractMostSignificantBits();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> CopySign(Vector512<T> value, Vector512<T> sign) => Vector512.CopySign(value, sign);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> PowerOfTwo(Vector512<T> n)
    {
        // Adding the magic constant leaves n + bias in the low mantissa bits; shifting that into the
        // exponent field builds 2^n without a float→int conversion (not vectorized for double on AVX2).
        var biased = n + Vector512.Create(Scalar<T>.PowerOfTwoMagic);
        if (typeof(T) == typeof(float))
        {
            var bitsOfN = biased.AsInt32() - Vector512.Create(Scalar<float>.RoundingMagicBits32);
            return Vector512.ShiftLeft(bitsOfN, 23).As<int, T>();
        }

        var bits64 = biased.AsInt64() - Vector512.Create(Scalar<double>.RoundingMagicBits64);
        return Vector512.ShiftLeft(bits64, 52).As<long, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> ScaleByPowerOfTwo(Vector512<T> value, Vector512<T> n)
    {
        if (!Avx512F.IsSupported)
        {
            return PortableWidth.ScaleByPowerOfTwo<T, Width512<T>, Vector512<T>>(value, n);
        }

        // vscalef: one instruction, one rounding, IEEE overflow and gradual underflow.
        return typeof(T) == typeof(float)
            ? Avx512F.Scale(value.AsSingle(), n.AsSingle()).As<float, T>()
            : Avx512F.Scale(value.AsDouble(), n.AsDouble()).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Mantissa(Vector512<T> x)
    {
        if (typeof(T) == typeof(float))
        {
            return ((x.AsInt32() & Vector512.Create(0x007FFFFF)) | Vector512.Create(0x3F800000)).As<int, T>();
        }

        return ((x.AsInt64() & Vector512.Create(0x000FFFFFFFFFFFFFL)) | Vector512.Create(0x3FF0000000000000L)).As<long, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> Exponent(Vector512<T> x)
    {
        // The biased exponent is placed in the mantissa of 2^23 (2^52) and the sum's value read back, which
        // converts it without an int→float instruction (not vectorized for 64-bit lanes on AVX2).
        if (typeof(T) == typeof(float))
        {
            var biased = Vector512.ShiftRightLogical(x.AsInt32(), 23) & Vector512.Create(0xFF);
            return (biased | Vector512.Create(0x4B000000)).As<int, T>() - Vector512.Create(Scalar<T>.ExponentBiasPlusMagic);
        }

        var biased64 = Vector512.ShiftRightLogical(x.AsInt64(), 52) & Vector512.Create(0x7FFL);
        return (biased64 | Vector512.Create(0x4330000000000000L)).As<long, T>() - Vector512.Create(Scalar<T>.ExponentBiasPlusMagic);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> ReducedMantissa(Vector512<T> x)
    {
        if (!Avx512F.IsSupported)
        {
            return PortableWidth.ReducedMantissa<T, Width512<T>, Vector512<T>>(x);
        }

        // vgetmant, control 0b0011: the mantissa normalized into [3/4, 3/2), subnormals included.
        return typeof(T) == typeof(float)
            ? Avx512F.GetMantissa(x.AsSingle(), 0b0011).As<float, T>()
            : Avx512F.GetMantissa(x.AsDouble(), 0b0011).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<T> ReducedExponent(Vector512<T> x, Vector512<T> m)
    {
        if (!Avx512F.IsSupported)
        {
            return PortableWidth.ReducedExponent<T, Width512<T>, Vector512<T>>(x, m);
        }

        // vgetexp gives floor(log2 x); the mantissa in [3/4, 1) has exponent −1, which moves into e.
        return typeof(T) == typeof(float)
            ? (Avx512F.GetExponent(x.AsSingle()) - Avx512F.GetExponent(m.AsSingle())).As<float, T>()
            : (Avx512F.GetExponent(x.AsDouble()) - Avx512F.GetExponent(m.AsDouble())).As<double, T>();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T MergeLanes<TOp>(in TOp op, Vector512<T> value) where TOp : struct, IReductionOperator<T> =>
        Width256<T>.MergeLanes(op, op.Merge<Width256<T>, Vector256<T>>(value.GetLower(), value.GetUpper()));
}
