using System.Runtime.Intrinsics;

namespace SimdDescent.Kernels.Operators;

/// <summary>
/// How partial results of a reduction combine: the identity element and an associative,
/// commutative merge. Drivers keep several accumulators and merge them (and finally their lanes)
/// in a fixed order, so a result never depends on where the input lies in memory.
/// </summary>
public interface IReductionOperator<T>
{
    /// <summary>The value that leaves any partial result unchanged under <see cref="Merge(T, T)"/>.</summary>
    T Identity { get; }

    /// <summary>Merges two partial results.</summary>
    T Merge(T a, T b);

    /// <summary>Merges two vectors of partial results lane by lane.</summary>
    Vector128<T> Merge(Vector128<T> a, Vector128<T> b);

    /// <summary>Merges two vectors of partial results lane by lane.</summary>
    Vector256<T> Merge(Vector256<T> a, Vector256<T> b);

    /// <summary>Merges two vectors of partial results lane by lane.</summary>
    Vector512<T> Merge(Vector512<T> a, Vector512<T> b);
}

/// <summary>A reduction that folds one input stream into an accumulator (sum, sum of squares, max).</summary>
public interface IUnaryReductionOperator<T> : IReductionOperator<T>
{
    /// <summary>Folds <paramref name="x"/> into <paramref name="accumulator"/>.</summary>
    T Accumulate(T accumulator, T x);

    /// <summary>Folds each lane of <paramref name="x"/> into the matching accumulator lane.</summary>
    Vector128<T> Accumulate(Vector128<T> accumulator, Vector128<T> x);

    /// <summary>Folds each lane of <paramref name="x"/> into the matching accumulator lane.</summary>
    Vector256<T> Accumulate(Vector256<T> accumulator, Vector256<T> x);

    /// <summary>Folds each lane of <paramref name="x"/> into the matching accumulator lane.</summary>
    Vector512<T> Accumulate(Vector512<T> accumulator, Vector512<T> x);
}

/// <summary>A reduction that folds two input streams into an accumulator (dot product).</summary>
public interface IBinaryReductionOperator<T> : IReductionOperator<T>
{
    /// <summary>Folds the pair into <paramref name="accumulator"/>.</summary>
    T Accumulate(T accumulator, T x, T y);

    /// <summary>Folds each pair of lanes into the matching accumulator lane.</summary>
    Vector128<T> Accumulate(Vector128<T> accumulator, Vector128<T> x, Vector128<T> y);

    /// <summary>Folds each pair of lanes into the matching accumulator lane.</summary>
    Vector256<T> Accumulate(Vector256<T> accumulator, Vector256<T> x, Vector256<T> y);

    /// <summary>Folds each pair of lanes into the matching accumulator lane.</summary>
    Vector512<T> Accumulate(Vector512<T> accumulator, Vector512<T> x, Vector512<T> y);
}
