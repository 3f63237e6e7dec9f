namespace SimdDescent.Kernels.Operators;

/// <summary>
/// One register width seen through a common shape: the vocabulary an operator's single body is written
/// in. A driver instantiates the body once per width it runs (scalar, 128, 256 and 512 bits), so
/// <typeparamref name="TVector"/> is <typeparamref name="T"/> itself, <c>Vector128&lt;T&gt;</c>,
/// <c>Vector256&lt;T&gt;</c> or <c>Vector512&lt;T&gt;</c>; every member is a one-liner the JIT inlines,
/// and the specialized loop is the one that would be written by hand for that width.
/// </summary>
/// <remarks>
/// <para>Write an operator against this interface through its type parameter only, e.g.
/// <c>TWidth.Multiply(x, TWidth.Broadcast(scale))</c>; the library supplies the widths. Masks (from the
/// comparisons) are lanes with all bits set or all clear, as in the vector types, and one lane per
/// element on the scalar width.</para>
/// <para>FMA policy: <see cref="MultiplyAdd"/> fuses where the hardware has FMA (AVX2+FMA, AVX-512,
/// NEON) and rounds the product and the sum separately elsewhere, never through a slow software FMA.</para>
/// </remarks>
/// <typeparam name="T">The element type: <see cref="float"/> or <see cref="double"/>.</typeparam>
/// <typeparam name="TVector">The register type.</typeparam>
public interface ISimdWidth<T, TVector>
    where T : unmanaged
    where TVector : struct
{
    /// <summary>Elements per register.</summary>
    static abstract int Count { get; }

    /// <summary>The register at element <paramref name="index"/> from <paramref name="source"/> (no bounds check).</summary>
    static abstract TVector Load(ref T source, nuint index);

    /// <summary>Writes <paramref name="value"/> at element <paramref name="index"/> from <paramref name="destination"/> (no bounds check).</summary>
    static abstract void Store(TVector value, ref T destination, nuint index);

    /// <summary><paramref name="value"/> in every lane.</summary>
    static abstract TVector Broadcast(T value);

    /// <summary>A mask whose last <paramref name="lanes"/> lanes are set: selects the new lanes of an overlapping tail load.</summary>
    static abstract TVector LastLanesMask(int lanes);

    /// <summary>Lanes of <paramref name="onTrue"/> where the mask is set, else of <paramref name="onFalse"/>.</summary>
    static abstract TVector Select(TVector mask, TVector onTrue, TVector onFalse);

    /// <summary>a + b.</summary>
    static abstract TVector Add(TVector a, TVector b);

    /// <summary>a − b.</summary>
    static abstract TVector Subtract(TVector a, TVector b);

    /// <summary>a · b.</summary>
    static abstract TVector Multiply(TVector a, TVector b);

    /// <summary>a / b.</summary>
    static abstract TVector Divide(TVector a, TVector b);

    /// <summary>a·b + c, fused where the hardware has FMA.</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

    /// <summary>√x, correctly rounded.</summary>
    static abstract TVector Sqrt(TVector x);

    /// <summary>The hardware minimum: for NaN inputs or a pair of zeros the result is unspecified; callers handle those themselves.</summary>
    static abstract TVector MinNative(TVector a, TVector b);

    /// <summary>The hardware maximum: for NaN inputs or a pair of zeros the result is unspecified; callers handle those themselves.</summary>
    static abstract TVector MaxNative(TVector a, TVector b);

    /// <summary>The IEEE 754 maximum of each pair: NaN if either is NaN, +0 above −0.</summary>
    static abstract TVector Maximum(TVector a, TVector b);

    /// <summary>max(x, +0), the rectifier: NaN stays NaN and −0 becomes +0, in the fewest instructions the width has.</summary>
    static abstract TVector PositivePart(TVector x);

    /// <summary>|x|.</summary>
    static abstract TVector Abs(TVector x);

    /// <summary>The largest integer value not above x.</summary>
    static abstract TVector Floor(TVector x);

    /// <summary>
    /// x with subnormal lanes (and −0) replaced by +0. Values that decay geometrically (an optimizer's momentum and
    /// moment buffers of parameters whose gradient stays zero, e.g. dead ReLU units) sink into the
    /// subnormal range, where arithmetic on this machine's cores runs several times slower (an Adam step over
    /// 101,770 parameters: 25 → 104 µs); flushed, they stay zero at full speed.
    /// </summary>
    static abstract TVector FlushSubnormals(TVector x);

    /// <summary>The mask of a &lt; b.</summary>
    static abstract TVector LessThan(TVector a, TVector b);

    /// <summary>The mask of a &gt; b.</summary>
    static abstract TVector GreaterThan(TVector a, TVector b);

    /// <summary>The mask of the NaN lanes.</summary>
    static abstract TVector IsNaN(TVector x);

    /// <summary>The mask of a = b.</summary>
    static abstract TVector Equal(TVector a, TVector b);

    /// <summary>The bitwise OR of two masks.</summary>
    static abstract TVector Or(TVector a, TVector b);

    /// <summary>Bit i set where lane i of <paramref name="mask"/> is set.</summary>
    static abstract ulong LaneBits(TVector mask);

    /// <summary>The magnitude of <paramref name="value"/> with the sign of <paramref name="sign"/>.</summary>
    static abstract TVector CopySign(TVector value, TVector sign);

    /// <summary>2^n for integer-valued n inside the normal exponent range.</summary>
    static abstract TVector PowerOfTwo(TVector n);

    /// <summary>
    /// value·2^n for integer-valued n, |n| up to twice the exponent range, rounded once: overflows to ∞
    /// and underflows through the subnormals to 0 as the exact product would round.
    /// </summary>
    static abstract TVector ScaleByPowerOfTwo(TVector value, TVector n);

    /// <summary>The mantissa of a positive normal x, in [1, 2).</summary>
    static abstract TVector Mantissa(TVector x);

    /// <summary>The unbiased binary exponent of a positive normal x, as a value of T.</summary>
    static abstract TVector Exponent(TVector x);

    /// <summary>m with x = m·2^e and m in [¾, 3/2), for positive normal x (the argument log reduces to).</summary>
    static abstract TVector ReducedMantissa(TVector x);

    /// <summary>The e that goes with m = <see cref="ReducedMantissa"/>(x): x = m·2^e, as a value of T.</summary>
    static abstract TVector ReducedExponent(TVector x, TVector m);

    /// <summary>Merges the lanes of <paramref name="value"/> with <paramref name="op"/> pairwise, halves first: a fixed order.</summary>
    static abstract T MergeLanes<TOp>(in TOp op, TVector value) where TOp : struct, IReductionOperator<T>;
}
