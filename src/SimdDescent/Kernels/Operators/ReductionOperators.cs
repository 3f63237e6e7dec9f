using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using SimdDescent.Kernels.Drivers;

namespace SimdDescent.Kernels.Operators;

/// <summary>Σ x.</summary>
public readonly struct SumOperator<T> : IUnaryReductionOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Identity => T.Zero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Merge(T a, T b) => a + b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Merge(Vector128<T> a, Vector128<T> b) => a + b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Merge(Vector256<T> a, Vector256<T> b) => a + b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Merge(Vector512<T> a, Vector512<T> b) => a + b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Accumulate(T accumulator, T x) => accumulator + x;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Accumulate(Vector128<T> accumulator, Vector128<T> x) => accumulator + x;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Accumulate(Vector256<T> accumulator, Vector256<T> x) => accumulator + x;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Accumulate(Vector512<T> accumulator, Vector512<T> x) => accumulator + x;
}

/// <summary>Σ x², one FMA per register.</summary>
public readonly struct SumOfSquaresOperator<T> : IUnaryReductionOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Identity => T.Zero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Merge(T a, T b) => a + b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Merge(Vector128<T> a, Vector128<T> b) => a + b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Merge(Vector256<T> a, Vector256<T> b) => a + b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Merge(Vector512<T> a, Vector512<T> b) => a + b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Accumulate(T accumulator, T x) => T.MultiplyAddEstimate(x, x, accumulator);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Accumulate(Vector128<T> accumulator, Vector128<T> x) => VectorMath.MultiplyAdd(x, x, accumulator);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Accumulate(Vector256<T> accumulator, Vector256<T> x) => VectorMath.MultiplyAdd(x, x, accumulator);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Accumulate(Vector512<T> accumulator, Vector512<T> x) => VectorMath.MultiplyAdd(x, x, accumulator);
}

/// <summary>Σ x·y, one FMA per register pair.</summary>
public readonly struct DotOperator<T> : IBinaryReductionOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Identity => T.Zero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Merge(T a, T b) => a + b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Merge(Vector128<T> a, Vector128<T> b) => a + b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Merge(Vector256<T> a, Vector256<T> b) => a + b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Merge(Vector512<T> a, Vector512<T> b) => a + b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Accumulate(T accumulator, T x, T y) => T.MultiplyAddEstimate(x, y, accumulator);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Accumulate(Vector128<T> accumulator, Vector128<T> x, Vector128<T> y) => VectorMath.MultiplyAdd(x, y, accumulator);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Accumulate(Vector256<T> accumulator, Vector256<T> x, Vector256<T> y) => VectorMath.MultiplyAdd(x, y, accumulator);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Accumulate(Vector512<T> accumulator, Vector512<T> x, Vector512<T> y) => VectorMath.MultiplyAdd(x, y, accumulator);
}

/// <summary>max x; NaN if any element is NaN (IEEE 754-2019 maximum).</summary>
public readonly struct MaxOperator<T> : IUnaryReductionOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Identity => T.NegativeInfinity;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Merge(T a, T b) => T.Max(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Merge(Vector128<T> a, Vector128<T> b) => VectorMath.Maximum(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Merge(Vector256<T> a, Vector256<T> b) => VectorMath.Maximum(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Merge(Vector512<T> a, Vector512<T> b) => Vector512.Max(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Accumulate(T accumulator, T x) => T.Max(accumulator, x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Accumulate(Vector128<T> accumulator, Vector128<T> x) => VectorMath.Maximum(accumulator, x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Accumulate(Vector256<T> accumulator, Vector256<T> x) => VectorMath.Maximum(accumulator, x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Accumulate(Vector512<T> accumulator, Vector512<T> x) => Vector512.Max(accumulator, x);
}

/// <summary>max |x|; NaN if any element is NaN. Used to rescale the L2 norm when squares would overflow.</summary>
public readonly struct MaxMagnitudeOperator<T> : IUnaryReductionOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Identity => T.Zero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Merge(T a, T b) => T.Max(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Merge(Vector128<T> a, Vector128<T> b) => VectorMath.Maximum(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Merge(Vector256<T> a, Vector256<T> b) => VectorMath.Maximum(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Merge(Vector512<T> a, Vector512<T> b) => Vector512.Max(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Accumulate(T accumulator, T x) => T.Max(accumulator, T.Abs(x));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Accumulate(Vector128<T> accumulator, Vector128<T> x) => VectorMath.Maximum(accumulator, Vector128.Abs(x));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Accumulate(Vector256<T> accumulator, Vector256<T> x) => VectorMath.Maximum(accumulator, Vector256.Abs(x));

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Accumulate(Vector512<T> accumulator, Vector512<T> x) => Vector512.Max(accumulator, Vector512.Abs(x));
}

/// <summary>Σ (k·x)², the rescaled sum of squares behind an overflow-free L2 norm.</summary>
/// <param name="k">The scale applied before squaring (a power of two near 1 / max|x|).</param>
public readonly struct ScaledSumOfSquaresOperator<T>(T k) : IUnaryReductionOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Identity => T.Zero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Merge(T a, T b) => a + b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Merge(Vector128<T> a, Vector128<T> b) => a + b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Merge(Vector256<T> a, Vector256<T> b) => a + b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Merge(Vector512<T> a, Vector512<T> b) => a + b;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Accumulate(T accumulator, T x) => T.MultiplyAddEstimate(k * x, k * x, accumulator);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Accumulate(Vector128<T> accumulator, Vector128<T> x) => VectorMath.MultiplyAdd(x * k, x * k, accumulator);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Accumulate(Vector256<T> accumulator, Vector256<T> x) => VectorMath.MultiplyAdd(x * k, x * k, accumulator);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Accumulate(Vector512<T> accumulator, Vector512<T> x) => VectorMath.MultiplyAdd(x * k, x * k, accumulator);
}
