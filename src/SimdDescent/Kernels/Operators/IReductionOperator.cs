namespace SimdDescent.Kernels.Operators;

/// <summary>
/// How partial results of a reduction combine: the identity element and an associative,
/// commutative merge, written once for every width. Drivers keep several accumulators and merge them
/// (and finally their lanes) in a fixed order, so a result never depends on where the input lies in memory.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public interface IReductionOperator<T>
    where T : unmanaged
{
    /// <summary>The value that leaves any partial result unchanged under <see cref="Merge{TWidth, TVector}"/>.</summary>
    T Identity { get; }

    /// <summary>Merges two registers of partial results lane by lane.</summary>
    /// <typeparam name="TWidth">The width, supplied by the driver.</typeparam>
    /// <typeparam name="TVector">The register type of <typeparamref name="TWidth"/>.</typeparam>
    TVector Merge<TWidth, TVector>(TVector a, TVector b)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct;
}

/// <summary>A reduction that folds one input stream into an accumulator (sum, sum of squares, max).</summary>
/// <typeparam name="T">The element type.</typeparam>
internal interface IUnaryReductionOperator<T> : IReductionOperator<T>
    where T : unmanaged
{
    /// <summary>Folds each lane of <paramref name="x"/> into the matching accumulator lane.</summary>
    /// <typeparam name="TWidth">The width, supplied by the driver.</typeparam>
    /// <typeparam name="TVector">The register type of <typeparamref name="TWidth"/>.</typeparam>
    TVector Accumulate<TWidth, TVector>(TVector accumulator, TVector x)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct;
}

/// <summary>A reduction that folds two input streams into an accumulator (dot product).</summary>
/// <typeparam name="T">The element type.</typeparam>
internal interface IBinaryReductionOperator<T> : IReductionOperator<T>
    where T : unmanaged
{
    /// <summary>Folds each pair of lanes into the matching accumulator lane.</summary>
    /// <typeparam name="TWidth">The width, supplied by the driver.</typeparam>
    /// <typeparam name="TVector">The register type of <typeparamref name="TWidth"/>.</typeparam>
    TVector Accumulate<TWidth, TVector>(TVector accumulator, TVector x, TVector y)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct;
}
