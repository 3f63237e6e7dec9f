using System.Runtime.CompilerServices;
using SimdDescent.Kernels.Functions;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Kernels.Drivers;

/// <summary>
/// Composite adapter members written once over <see cref="ISimdWidth{T, TVector}"/> from its basic
/// operations: a width uses them where the hardware has no single instruction for the job (AVX-512
/// has, and the widths call it there instead).
/// </summary>
internal static class PortableWidth
{
    /// <summary>
    /// value·2^n for integer-valued n with |n| up to twice the exponent range, rounded once. Where every
    /// lane's 2^n is a normal number (|n| below the largest exponent: every exp argument of magnitude
    /// up to about 87 in float) one multiplication by it rounds once, exactly as the general path would:
    /// with the range check 8 operations instead of 11 on the exp path of machines without
    /// <c>vscalef</c>. Otherwise 2^n is applied in two halves that are each a normal power of two, so a
    /// product that lands among the subnormals rounds only in the second multiplication, and one that
    /// overflows becomes ∞.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV ScaleByPowerOfTwo<T, TW, TV>(TV value, TV n)
        where T : unmanaged
        where TW : struct, ISimdWidth<T, TV>
        where TV : struct
    {
        var normalLimit = TW.Broadcast(Scalar<T>.FromInt32(C<T>.MaxExponent - 1));
        if (TW.LaneBits(TW.GreaterThan(TW.Abs(n), normalLimit)) == 0)
        {
            return TW.Multiply(value, TW.PowerOfTwo(n));
        }

        var n1 = TW.Floor(TW.Multiply(n, TW.Broadcast(C<T>.Half)));
        var n2 = TW.Subtract(n, n1);
        return TW.Multiply(TW.Multiply(value, TW.PowerOfTwo(n1)), TW.PowerOfTwo(n2));
    }

    /// <summary>m with x = m·2^e and m in [¾, 3/2), for positive normal x: the mantissa in [1, 2), halved from 3/2 on.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV ReducedMantissa<T, TW, TV>(TV x)
        where T : unmanaged
        where TW : struct, ISimdWidth<T, TV>
        where TV : struct
    {
        var m = TW.Mantissa(x);
        return TW.Select(TW.LessThan(m, TW.Broadcast(C<T>.ThreeHalves)), m, TW.Multiply(m, TW.Broadcast(C<T>.Half)));
    }

    /// <summary>The e that goes with m = <see cref="ReducedMantissa{T, TW, TV}"/>(x): one more than x's exponent where m was halved.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV ReducedExponent<T, TW, TV>(TV x, TV m)
        where T : unmanaged
        where TW : struct, ISimdWidth<T, TV>
        where TV : struct
    {
        var e = TW.Exponent(x);
        return TW.Select(TW.LessThan(m, TW.Broadcast(C<T>.One)), TW.Add(e, TW.Broadcast(C<T>.One)), e);
    }
}
