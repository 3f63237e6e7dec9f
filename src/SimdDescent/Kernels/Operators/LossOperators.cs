using System.Numerics;
using System.Runtime.CompilerServices;
using SimdDescent.Kernels.Functions;

namespace SimdDescent.Kernels.Operators;

/// <summary>Σ e^(x − shift): the softmax denominator without writing the numerators.</summary>
internal readonly struct SumExpOperator<T>(T shift) : IUnaryReductionOperator<T>
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
        => TWidth.Add(accumulator, Transcendental.Exp<T, TWidth, TVector>(TWidth.Subtract(x, TWidth.Broadcast(shift))));
}

/// <summary>Σ (x − y)²: the numerator of the mean squared error.</summary>
internal readonly struct SquaredDifferenceOperator<T> : IBinaryReductionOperator<T>
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
    {
        var d = TWidth.Subtract(x, y);
        return TWidth.Add(accumulator, TWidth.Multiply(d, d));
    }
}

/// <summary>Σ max(x, 0) − x·t + ln(1 + e^−|x|): binary cross-entropy from logits x and targets t, stable for any finite x.</summary>
internal readonly struct BinaryCrossEntropyWithLogitsOperator<T> : IBinaryReductionOperator<T>
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
    {
        var zero = TWidth.Broadcast(T.Zero);
        var softplus = Transcendental.Log<T, TWidth, TVector>(
            TWidth.Add(TWidth.Broadcast(T.One), Transcendental.Exp<T, TWidth, TVector>(TWidth.Subtract(zero, TWidth.Abs(x)))));
        return TWidth.Add(accumulator, TWidth.Add(TWidth.Subtract(TWidth.MaxNative(x, zero), TWidth.Multiply(x, y)), softplus));
    }
}

/// <summary>k·(x − y): the gradient of a squared error (k = 2/N).</summary>
internal readonly struct ScaledDifferenceOperator<T>(T k) : IBinaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TWidth, TVector>(TVector x, TVector y)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => TWidth.Multiply(TWidth.Subtract(x, y), TWidth.Broadcast(k));
}

/// <summary>k·(σ(x) − t): the gradient of binary cross-entropy with logits (k = 1/N).</summary>
internal readonly struct BinaryCrossEntropyGradientOperator<T>(T k) : IBinaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TWidth, TVector>(TVector x, TVector y)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => TWidth.Multiply(TWidth.Subtract(ActivationMath.Sigmoid<T, TWidth, TVector>(x), y), TWidth.Broadcast(k));
}
