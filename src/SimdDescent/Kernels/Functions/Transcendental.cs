using System.Runtime.CompilerServices;
using SimdDescent.Kernels.Drivers;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Kernels.Functions;

/// <summary>
/// Exp, expm1 and log written once over <see cref="ISimdWidth{T, TVector}"/>, so the scalar path and
/// every vector width run the same algorithm (they differ only where FMA fuses).
/// </summary>
/// <remarks>
/// <para><b>exp</b>: Cody–Waite reduction x = n·ln2 + r with |r| ≤ ln2/2 (ln2 split in a high part
/// with trailing zero bits, so n·ln2hi is exact even without FMA), a polynomial for e^r (float: a
/// degree-6 Chebyshev fit; double: Taylor to degree 13; both far below an ulp), and one scaling by
/// 2^n that rounds once, subnormal results included (<c>vscalef</c> on AVX-512, else two exact
/// halves). Inputs are clamped to where the result leaves [0, ∞), NaN passes through. Measured error (test
/// <c>SimdMathTests</c>, dense sweep of the range): ≤ 1 ulp for float and double against
/// <c>Math.Exp</c> rounded to the element type.</para>
/// <para><b>log</b>: x = m·2^e with m in [¾, 3/2) (<c>vgetmant</c>/<c>vgetexp</c> on AVX-512, bit
/// fields elsewhere), then ln(1 + f), f = m − 1 exact: for float a degree-9 polynomial f + f²·Q(f)
/// without division; for double 2·atanh(f/(2 + f)) as an odd series (11 terms), arranged so the
/// rounding of the quotient only touches a small correction. Registers with a zero, subnormal,
/// negative, infinite or NaN lane take a slower path that rescales subnormals and sets the special
/// results. Measured error ≤ 2 ulp (float) and ≤ 1 ulp (double) against <c>Math.Log</c>.</para>
/// </remarks>
internal static class Transcendental
{
    /// <summary>e^x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Exp<T, TW, TV>(TV x)
        where T : unmanaged
        where TW : struct, ISimdWidth<T, TV>
        where TV : struct
    {
        var clamped = ClampExponent<T, TW, TV>(x);
        var n = PowerOfTwoExponent<T, TW, TV>(clamped);
        var r = ReducedArgument<T, TW, TV>(clamped, n);

        // e^r, then one scaling that rounds once (subnormal results included).
        var expR = typeof(T) == typeof(float)
            ? ExpPolynomialFloat<T, TW, TV>(r)
            : TW.MultiplyAdd(ExpSeries<T, TW, TV>(r), r, TW.Broadcast(C<T>.One));
        var result = TW.ScaleByPowerOfTwo(expR, n);
        return TW.Select(TW.IsNaN(x), x, result);
    }

    /// <summary>e^x − 1, accurate near 0. For x ≥ 0 below the overflow threshold (used by tanh).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV ExpMinusOne<T, TW, TV>(TV x)
        where T : unmanaged
        where TW : struct, ISimdWidth<T, TV>
        where TV : struct
    {
        // e^x − 1 = 2^n·q + (2^n − 1): exact for n = 0, and both terms are exact or small otherwise.
        var clamped = ClampExponent<T, TW, TV>(x);
        var n = PowerOfTwoExponent<T, TW, TV>(clamped);
        var r = ReducedArgument<T, TW, TV>(clamped, n);
        var q = TW.Multiply(ExpSeries<T, TW, TV>(r), r);
        var scale = TW.PowerOfTwo(n);
        return TW.MultiplyAdd(scale, q, TW.Subtract(scale, TW.Broadcast(C<T>.One)));
    }

    /// <summary>Natural logarithm: −∞ at 0, NaN below 0 and for NaN, +∞ at +∞.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Log<T, TW, TV>(TV x)
        where T : unmanaged
        where TW : struct, ISimdWidth<T, TV>
        where TV : struct
    {
        // Registers of positive normal finite inputs (nearly all) skip the subnormal rescaling and the
        // special-value selects; Min/Max map NaN to a bound, so the equality also rejects NaN.
        var ordinary = TW.Equal(TW.MinNative(TW.MaxNative(x, TW.Broadcast(C<T>.MinNormal)), TW.Broadcast(C<T>.MaxValue)), x);
        if (TW.LaneBits(ordinary) == (1UL << TW.Count) - 1)
        {
            var reduced = TW.ReducedMantissa(x);
            return LogOfReduced<T, TW, TV>(reduced, TW.ReducedExponent(x, reduced));
        }

        return LogOfAny<T, TW, TV>(x);
    }

    /// <summary>ln x for registers holding a zero, subnormal, negative, infinite or NaN lane.</summary>
    /// <remarks>Not inlined: the drivers unroll the operator several times, and inlined copies of this
    /// rare path would exhaust the JIT's inlining budget for the hot one.</remarks>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static TV LogOfAny<T, TW, TV>(TV x)
        where T : unmanaged
        where TW : struct, ISimdWidth<T, TV>
        where TV : struct
    {
        var subnormal = TW.LessThan(x, TW.Broadcast(C<T>.MinNormal));
        var scaled = TW.Select(subnormal, TW.Multiply(x, TW.Broadcast(C<T>.SubnormalScale)), x);
        var m = TW.ReducedMantissa(scaled);
        var e = TW.ReducedExponent(scaled, m);
        e = TW.Select(subnormal, TW.Subtract(e, TW.Broadcast(C<T>.SubnormalScaleExponent)), e);
        var result = LogOfReduced<T, TW, TV>(m, e);

        // Special values: 0 → −∞, negative or NaN → NaN, +∞ → +∞.
        var zero = TW.Broadcast(C<T>.Zero);
        result = TW.Select(TW.LessThan(x, TW.Broadcast(C<T>.PositiveInfinity)), result, x);
        result = TW.Select(TW.LessThan(x, zero), TW.Broadcast(C<T>.NaN), result);
        result = TW.Select(TW.LessThan(TW.Abs(x), TW.Broadcast(C<T>.Epsilon)), TW.Broadcast(C<T>.NegativeInfinity), result);
        return TW.Select(TW.IsNaN(x), x, result);
    }

    /// <summary>ln(m·2^e) for m in [¾, 3/2): e·ln2 + ln(1 + f), f = m − 1 (exact).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV LogOfReduced<T, TW, TV>(TV m, TV e)
        where T : unmanaged
        where TW : struct, ISimdWidth<T, TV>
        where TV : struct
    {
        var f = TW.Subtract(m, TW.Broadcast(C<T>.One));
        if (typeof(T) == typeof(float))
        {
            // ln 2 rounded to float is off by 2e−9, under 0.1 ulp of any float result: one FMA suffices.
            return TW.MultiplyAdd(e, TW.Broadcast(C<T>.From(0.6931471805599453)), LogOnePlusFloat<T, TW, TV>(f));
        }

        return TW.MultiplyAdd(e, TW.Broadcast(C<T>.Ln2High), TW.MultiplyAdd(e, TW.Broadcast(C<T>.Ln2Low), LogOnePlusDouble<T, TW, TV>(f)));
    }

    /// <summary>
    /// ln(1 + f) = f + f²·Q(f) for f in [−1/4, 1/2), Q a degree-7 Chebyshev fit of (ln(1 + f) − f)/f²
    /// (error 2e−7 in Q, at most 1.6 ulp in the result): no division, which would bound the 16-lane loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV LogOnePlusFloat<T, TW, TV>(TV f)
        where T : unmanaged
        where TW : struct, ISimdWidth<T, TV>
        where TV : struct
    {
        var q = TW.Broadcast(C<T>.From(0.05748722637622158));
        q = Step<T, TW, TV>(q, f, -0.12257104109817867);
        q = Step<T, TW, TV>(q, f, 0.14905119663180444);
        q = Step<T, TW, TV>(q, f, -0.167735510895164);
        q = Step<T, TW, TV>(q, f, 0.1998100776706486);
        q = Step<T, TW, TV>(q, f, -0.24996545686751276);
        q = Step<T, TW, TV>(q, f, 0.33333492363181394);
        q = Step<T, TW, TV>(q, f, -0.5000001434145563);
        return TW.MultiplyAdd(TW.Multiply(f, f), q, f);
    }

    /// <summary>
    /// ln(1 + f) = 2·atanh(s), s = f/(2 + f), |s| ≤ 1/5: the division buys an odd series in s short
    /// enough for double (11 terms), where a polynomial in f would need twice the terms. Written as
    /// f − s·(f − R) with R = 2s³/3 + 2s⁵/5 + … over s (fdlibm's form): f is exact, so the rounding of
    /// s only touches the small correction and not the leading term.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV LogOnePlusDouble<T, TW, TV>(TV f)
        where T : unmanaged
        where TW : struct, ISimdWidth<T, TV>
        where TV : struct
    {
        var s = TW.Divide(f, TW.Add(f, TW.Broadcast(C<T>.Two)));
        var z = TW.Multiply(s, s);
        var series = TW.Broadcast(C<T>.From(2.0 / 21));
        series = Step<T, TW, TV>(series, z, 2.0 / 19);
        series = Step<T, TW, TV>(series, z, 2.0 / 17);
        series = Step<T, TW, TV>(series, z, 2.0 / 15);
        series = Step<T, TW, TV>(series, z, 2.0 / 13);
        series = Step<T, TW, TV>(series, z, 2.0 / 11);
        series = Step<T, TW, TV>(series, z, 2.0 / 9);
        series = Step<T, TW, TV>(series, z, 2.0 / 7);
        series = Step<T, TW, TV>(series, z, 2.0 / 5);
        series = Step<T, TW, TV>(series, z, 2.0 / 3);
        var r = TW.Multiply(z, series);
        return TW.MultiplyAdd(s, TW.Subtract(r, f), f);
    }

    /// <summary>x limited to the range where e^x is neither 0 nor ∞ after rounding (NaN is restored by the callers).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV ClampExponent<T, TW, TV>(TV x)
        where T : unmanaged
        where TW : struct, ISimdWidth<T, TV>
        where TV : struct
        => TW.MinNative(TW.MaxNative(x, TW.Broadcast(C<T>.ExpLowest)), TW.Broadcast(C<T>.ExpHighest));

    /// <summary>n = round(x / ln 2), the power of two split off e^x (one FMA and the round-to-integer trick).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV PowerOfTwoExponent<T, TW, TV>(TV clamped)
        where T : unmanaged
        where TW : struct, ISimdWidth<T, TV>
        where TV : struct
    {
        var magic = TW.Broadcast(Scalar<T>.RoundingMagic);
        return TW.Subtract(TW.MultiplyAdd(clamped, TW.Broadcast(C<T>.Log2E), magic), magic);
    }

    /// <summary>r = x − n·ln 2 (Cody–Waite, two FMAs), |r| ≤ ln2/2.</summary>
    /// <remarks>
    /// Separate small steps instead of one method with an <c>out</c> result: an out-parameter makes its
    /// vector local address-taken, and the JIT then keeps it in memory inside the loop.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV ReducedArgument<T, TW, TV>(TV clamped, TV n)
        where T : unmanaged
        where TW : struct, ISimdWidth<T, TV>
        where TV : struct
        => TW.MultiplyAdd(n, TW.Broadcast(C<T>.MinusLn2Low), TW.MultiplyAdd(n, TW.Broadcast(C<T>.MinusLn2High), clamped));

    /// <summary>
    /// S(r) = (e^r − 1)/r = 1 + r/2! + r²/3! + …, Taylor in Horner form up to r^6/7! (float) or r^12/13!
    /// (double): the first omitted term is below 2^−26 (2^−57) of the result for |r| ≤ ln2/2, and Horner
    /// beats Estrin here because the loops are throughput-bound (Estrin needs more multiplications).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV ExpSeries<T, TW, TV>(TV r)
        where T : unmanaged
        where TW : struct, ISimdWidth<T, TV>
        where TV : struct
    {
        var p = TW.Broadcast(C<T>.From(typeof(T) == typeof(float) ? 1.0 / 5040 : 1.0 / 6227020800));
        if (typeof(T) == typeof(double))
        {
            p = Step<T, TW, TV>(p, r, 1.0 / 479001600);
            p = Step<T, TW, TV>(p, r, 1.0 / 39916800);
            p = Step<T, TW, TV>(p, r, 1.0 / 3628800);
            p = Step<T, TW, TV>(p, r, 1.0 / 362880);
            p = Step<T, TW, TV>(p, r, 1.0 / 40320);
            p = Step<T, TW, TV>(p, r, 1.0 / 5040);
        }

        p = Step<T, TW, TV>(p, r, 1.0 / 720);
        p = Step<T, TW, TV>(p, r, 1.0 / 120);
        p = Step<T, TW, TV>(p, r, 1.0 / 24);
        p = Step<T, TW, TV>(p, r, 1.0 / 6);
        p = Step<T, TW, TV>(p, r, 1.0 / 2);
        return Step<T, TW, TV>(p, r, 1.0);
    }

    /// <summary>
    /// e^r for |r| ≤ ln2/2 in float: a degree-6 Chebyshev fit (error 2e−9, under 0.05 ulp), one FMA
    /// fewer than the Taylor form, which matters because the loop is bound by the FMA ports.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV ExpPolynomialFloat<T, TW, TV>(TV r)
        where T : unmanaged
        where TW : struct, ISimdWidth<T, TV>
        where TV : struct
    {
        var p = TW.Broadcast(C<T>.From(0.0013941108433972674));
        p = Step<T, TW, TV>(p, r, 0.008375126398153335);
        p = Step<T, TW, TV>(p, r, 0.04166635289677516);
        p = Step<T, TW, TV>(p, r, 0.16666415514653277);
        p = Step<T, TW, TV>(p, r, 0.5000000047117757);
        p = Step<T, TW, TV>(p, r, 1.000000037716214);
        return Step<T, TW, TV>(p, r, 1.0);
    }

    /// <summary>One Horner step: accumulator·x + c, with c a literal the JIT folds into a vector constant.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Step<T, TW, TV>(TV accumulator, TV x, double c)
        where T : unmanaged
        where TW : struct, ISimdWidth<T, TV>
        where TV : struct
        => TW.MultiplyAdd(accumulator, x, TW.Broadcast(C<T>.From(c)));
}
