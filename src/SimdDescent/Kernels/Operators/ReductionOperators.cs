using System.Numerics;
using System.Runtime.CompilerServices;

namespace SimdDescent.Kernels.Operators;

/// <summary>Σ x.</summary>
internal readonly struct SumOperator<T> : IUnaryReductionOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Identity => T.Zero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Merge<TWidth, TVector>(TVector a, TVector b)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => TWidth.Add(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Accumulate<TWidth, TVector>(TVector accumulator, TVector x)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => TWidth.Add(accumulator, x);
}

/// <summary>Σ x², one FMA per register.</summary>
internal readonly struct SumOfSquaresOperator<T> : IUnaryReductionOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Identity => T.Zero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Merge<TWidth, TVector>(TVector a, TVector b)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => TWidth.Add(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Accumulate<TWidth, TVector>(TVector accumulator, TVector x)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => TWidth.MultiplyAdd(x, x, accumulator);
}

/// <summary>Σ (x − mean)², centred before squaring so a large mean does not cancel the variance away.</summary>
internal readonly struct CenteredSumOfSquaresOperator<T>(T mean) : IUnaryReductionOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Identity => T.Zero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Merge<TWidth, TVector>(TVector a, TVector b)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => TWidth.Add(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Accumulate<TWidth, TVector>(TVector accumulator, TVector x)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
    {
        var centered = TWidth.Subtract(x, TWidth.Broadcast(mean));
        return TWidth.MultiplyAdd(centered, centered, accumulator);
    }
}

/// <summary>Σ x·(y − mean): a dot product with y centred first, without the cancellation of Σ x·y − mean·Σ x.</summary>
internal readonly struct CenteredDotOperator<T>(T mean) : IBinaryReductionOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Identity => T.Zero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Merge<TWidth, TVector>(TVector a, TVector b)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => TWidth.Add(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Accumulate<TWidth, TVector>(TVector accumulator, TVector x, TVector y)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => TWidth.MultiplyAdd(x, TWidth.Subtract(y, TWidth.Broadcast(mean)), accumulator);
}

/// <summary>Σ x·y, one FMA per register pair.</summary>
internal readonly struct DotOperator<T> : IBinaryReductionOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Identity => T.Zero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Merge<TWidth, TVector>(TVector a, TVector b)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => TWidth.Add(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Accumulate<TWidth, TVector>(TVector accumulator, TVector x, TVector y)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => TWidth.MultiplyAdd(x, y, accumulator);
}

/// <summary>max x; NaN if any element is NaN (IEEE 754-2019 maximum).</summary>
internal readonly struct MaxOperator<T> : IUnaryReductionOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Identity => T.NegativeInfinity;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Merge<TWidth, TVector>(TVector a, TVector b)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => TWidth.Maximum(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Accumulate<TWidth, TVector>(TVector accumulator, TVector x)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => TWidth.Maximum(accumulator, x);
}

/// <summary>max |x|; NaN if any element is NaN. Used to rescale the L2 norm when squares would overflow.</summary>
internal readonly struct MaxMagnitudeOperator<T> : IUnaryReductionOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Identity => T.Zero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Merge<TWidth, TVector>(TVector a, TVector b)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => TWidth.Maximum(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Accumulate<TWidth, TVector>(TVector accumulator, TVector x)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => TWidth.Maximum(accumulator, TWidth.Abs(x));
}

/// <summary>Σ (k·x)², the rescaled sum of squares behind an overflow-free L2 norm.</summary>
/// <param name="k">The scale applied before squaring (a power of two near 1 / max|x|).</param>
internal readonly struct ScaledSumOfSquaresOperator<T>(T k) : IUnaryReductionOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    public T Identity => T.Zero;

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Merge<TWidth, TVector>(TVector a, TVector b)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => TWidth.Add(a, b);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Accumulate<TWidth, TVector>(TVector accumulator, TVector x)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
    {
        var scaled = TWidth.Multiply(x, TWidth.Broadcast(k));
        return TWidth.MultiplyAdd(scaled, scaled, accumulator);
    }
}
