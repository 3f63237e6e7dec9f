using SimdDescent.Kernels.Operators;

namespace SimdDescent.Kernels.Drivers;

/// <summary>
/// One vector width seen through a common shape, so each driver is written once as a generic method
/// and instantiated per width (<see cref="ScalarWidth{T}"/>, <see cref="Width128{T}"/>,
/// <see cref="Width256{T}"/>, <see cref="Width512{T}"/>). Every member is a one-liner the JIT inlines;
/// the specialized driver is the loop it would be if written by hand for that width.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
/// <typeparam name="TVector">The register type: <typeparamref name="T"/> itself for the scalar width.</typeparam>
internal interface ISimdWidth<T, TVector>
    where T : unmanaged
    where TVector : struct
{
    /// <summary>Elements per register.</summary>
    static abstract int Count { get; }

    static abstract TVector Load(ref T source, nuint index);

    static abstract void Store(TVector value, ref T destination, nuint index);

    static abstract TVector Broadcast(T value);

    /// <summary>A mask whose last <paramref name="lanes"/> lanes are set: selects the new lanes of an overlapping tail load.</summary>
    static abstract TVector LastLanesMask(int lanes);

    /// <summary>Lanes of <paramref name="onTrue"/> where the mask is set, else of <paramref name="onFalse"/>.</summary>
    static abstract TVector Select(TVector mask, TVector onTrue, TVector onFalse);

    static abstract TVector Add(TVector a, TVector b);

    static abstract TVector Subtract(TVector a, TVector b);

    static abstract TVector Multiply(TVector a, TVector b);

    static abstract TVector Divide(TVector a, TVector b);

    /// <summary>a·b + c, fused where the hardware has FMA.</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector c);

    /// <summary>The hardware minimum: for NaN inputs the result is unspecified; callers handle NaN themselves.</summary>
    static abstract TVector Min(TVector a, TVector b);

    /// <summary>The hardware maximum: for NaN inputs the result is unspecified; callers handle NaN themselves.</summary>
    static abstract TVector Max(TVector a, TVector b);

    static abstract TVector Abs(TVector x);

    static abstract TVector Floor(TVector x);

    static abstract TVector LessThan(TVector a, TVector b);

    static abstract TVector GreaterThan(TVector a, TVector b);

    static abstract TVector IsNaN(TVector x);

    static abstract TVector Equal(TVector a, TVector b);

    static abstract TVector Or(TVector a, TVector b);

    /// <summary>Bit i set where lane i of <paramref name="mask"/> is set.</summary>
    static abstract ulong LaneBits(TVector mask);

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

    static abstract TVector Apply<TOp>(in TOp op, TVector x) where TOp : struct, IUnaryOperator<T>;

    static abstract TVector Apply<TOp>(in TOp op, TVector x, TVector y) where TOp : struct, IBinaryOperator<T>;

    static abstract TVector Apply<TOp>(in TOp op, TVector x, TVector y, TVector z) where TOp : struct, ITernaryOperator<T>;

    static abstract TVector Merge<TOp>(in TOp op, TVector a, TVector b) where TOp : struct, IReductionOperator<T>;

    static abstract TVector Accumulate<TOp>(in TOp op, TVector accumulator, TVector x) where TOp : struct, IUnaryReductionOperator<T>;

    static abstract TVector Accumulate<TOp>(in TOp op, TVector accumulator, TVector x, TVector y) where TOp : struct, IBinaryReductionOperator<T>;

    /// <summary>Merges the lanes of <paramref name="value"/> pairwise (halves first), a fixed order.</summary>
    static abstract T MergeLanes<TOp>(in TOp op, TVector value) where TOp : struct, IReductionOperator<T>;
}
