using System.Numerics;
using System.Runtime.CompilerServices;
using SimdDescent.Kernels.Functions;

namespace SimdDescent.Kernels.Operators;
/// <summary>dx = dy where the ReLU output y &gt; 0, else 0. Invoke(dy, y).</summary>
public readonly struct ReluBackwardOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TWidth, TVector>(TVector x, TVector y)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => TWidth.Select(TWidth.GreaterThan(y, TWidth.Broadcast(T.Zero)), x, TWidth.Broadcast(T.Zero));
}

/// <summary>dx = dy where the output y &gt; 0, else alpha·dy (alpha ≥ 0, so the output's sign is the input's). Invoke(dy, y).</summary>
public readonly struct LeakyReluBackwardOperator<T>(T alpha) : IBinaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TWidth, TVector>(TVector x, TVector y)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => TWidth.Select(TWidth.GreaterThan(y, TWidth.Broadcast(T.Zero)), x, TWidth.Multiply(x, TWidth.Broadcast(alpha)));
}

/// <summary>dx = dy·y·(1 − y) from the sigmoid output y. Invoke(dy, y).</summary>
public readonly struct SigmoidBackwardOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TWidth, TVector>(TVector x, TVector y)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => TWidth.Multiply(TWidth.Multiply(x, y), TWidth.Subtract(TWidth.Broadcast(T.One), y));
}

/// <summary>dx = dy·(1 − y²) from the tanh output y. Invoke(dy, y).</summary>
public readonly struct TanhBackwardOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TWidth, TVector>(TVector x, TVector y)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => TWidth.Multiply(x, TWidth.Subtract(TWidth.Broadcast(T.One), TWidth.Multiply(y, y)));
}

/// <summary>dx = dy·GELU′(x) for the tanh approximation, from the input x. Invoke(dy, x).</summary>
public readonly struct GeluBackwardOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TWidth, TVector>(TVector x, TVector y)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
    {
        // GELU(x) = x·s with s = σ(g(x)), g = 2√(2/π)(x + 0.044715x³):
        // GELU′ = s + x·s·(1 − s)·g′(x), g′ = 2√(2/π)(1 + 3·0.044715x²).
        var s = ActivationMath.Sigmoid<T, TWidth, TVector>(ActivationMath.GeluArgument<T, TWidth, TVector>(y));
        var gPrime = TWidth.MultiplyAdd(
            TWidth.Multiply(y, y),
            TWidth.Broadcast(C<T>.From(2 * ActivationMath.SqrtTwoOverPi * 3 * ActivationMath.GeluCubic)),
            TWidth.Broadcast(C<T>.From(2 * ActivationMath.SqrtTwoOverPi)));
        var sPrime = TWidth.Multiply(s, TWidth.Subtract(TWidth.Broadcast(T.One), s));
        return TWidth.Multiply(x, TWidth.MultiplyAdd(TWidth.Multiply(y, sPrime), gPrime, s));
    }
}

/// <summary>dx = dy·σ(x)·(1 + x·(1 − σ(x))), from the input x. Invoke(dy, x).</summary>
public readonly struct SiluBackwardOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TWidth, TVector>(TVector x, TVector y)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
    {
        var s = ActivationMath.Sigmoid<T, TWidth, TVector>(y);
        var one = TWidth.Broadcast(T.One);
        return TWidth.Multiply(x, TWidth.Multiply(s, TWidth.MultiplyAdd(y, TWidth.Subtract(one, s), one)));
    }
}
