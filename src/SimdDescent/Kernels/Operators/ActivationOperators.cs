using System.Numerics;
using System.Runtime.CompilerServices;
using SimdDescent.Kernels.Functions;

namespace SimdDescent.Kernels.Operators;

// Shared pieces of the activation kernels, written once for every width.
internal static class ActivationMath
{
    /// <summary>σ(x) = 1 / (1 + e^−x): saturates to exactly 0 or 1, never NaN for finite x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector Sigmoid<T, TWidth, TVector>(TVector x)
        where T : unmanaged
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
    {
        var one = TWidth.Broadcast(C<T>.One);
        return TWidth.Divide(one, TWidth.Add(one, Transcendental.Exp<T, TWidth, TVector>(TWidth.Subtract(TWidth.Broadcast(C<T>.Zero), x))));
    }

    /// <summary>2·√(2/π)·(x + 0.044715·x³): the argument for which GELU(x) = x·σ(it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVector GeluArgument<T, TWidth, TVector>(TVector x)
        where T : unmanaged
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
    {
        var x2 = TWidth.Multiply(x, x);
        var inner = TWidth.MultiplyAdd(TWidth.Multiply(x2, TWidth.Broadcast(C<T>.From(GeluCubic))), x, x);
        return TWidth.Multiply(inner, TWidth.Broadcast(C<T>.From(2 * SqrtTwoOverPi)));
    }

    public const double SqrtTwoOverPi = 0.7978845608028654;

    public const double GeluCubic = 0.044715;
}

/// <summary>x unchanged: the "no activation" choice for fused epilogues.</summary>
public readonly struct IdentityOperator<T> : IUnaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TWidth, TVector>(TVector x)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => x;
}

/// <summary>max(x, 0); NaN stays NaN.</summary>
public readonly struct ReluOperator<T> : IUnaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TWidth, TVector>(TVector x)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => TWidth.PositivePart(x);
}

/// <summary>x for x &gt; 0, else alpha·x.</summary>
public readonly struct LeakyReluOperator<T>(T alpha) : IUnaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TWidth, TVector>(TVector x)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => TWidth.Select(TWidth.GreaterThan(x, TWidth.Broadcast(T.Zero)), x, TWidth.Multiply(x, TWidth.Broadcast(alpha)));
}

/// <summary>σ(x) = 1 / (1 + e^−x).</summary>
public readonly struct SigmoidOperator<T> : IUnaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TWidth, TVector>(TVector x)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => ActivationMath.Sigmoid<T, TWidth, TVector>(x);
}

/// <summary>tanh x, from e^(2|x|) − 1 so small inputs keep full relative accuracy.</summary>
public readonly struct TanhOperator<T> : IUnaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TWidth, TVector>(TVector x)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
    {
        // Beyond |x| = 9 (float) or 19.1 (double) tanh rounds to ±1; clamping keeps e^(2|x|) finite.
        var a = TWidth.MinNative(TWidth.Abs(x), TWidth.Broadcast(C<T>.From(typeof(T) == typeof(float) ? 9.0 : 19.1)));
        var em = Transcendental.ExpMinusOne<T, TWidth, TVector>(TWidth.Add(a, a));
        var t = TWidth.CopySign(TWidth.Divide(em, TWidth.Add(em, TWidth.Broadcast(C<T>.Two))), x);
        return TWidth.Select(TWidth.IsNaN(x), x, t);
    }
}

/// <summary>GELU, tanh approximation: 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))), computed as x·σ(2·√(2/π)(x + 0.044715x³)).</summary>
public readonly struct GeluOperator<T> : IUnaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TWidth, TVector>(TVector x)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => TWidth.Multiply(x, ActivationMath.Sigmoid<T, TWidth, TVector>(ActivationMath.GeluArgument<T, TWidth, TVector>(x)));
}

/// <summary>SiLU (swish): x·σ(x).</summary>
public readonly struct SiluOperator<T> : IUnaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TWidth, TVector>(TVector x)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => TWidth.Multiply(x, ActivationMath.Sigmoid<T, TWidth, TVector>(x));
}
