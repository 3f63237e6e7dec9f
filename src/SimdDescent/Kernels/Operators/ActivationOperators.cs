using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using SimdDescent.Kernels.Drivers;
using SimdDescent.Kernels.Functions;

namespace SimdDescent.Kernels.Operators;
// Shared pieces of the activation kernels, written once for every width.
internal static class ActivationMath
{
    /// <summary>σ(x) = 1 / (1 + e^−x): saturates to exactly 0 or 1, never NaN for finite x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV Sigmoid<T, TW, TV>(TV x)
        where T : unmanaged
        where TW : struct, ISimdWidth<T, TV>
        where TV : struct
    {
        var one = TW.Broadcast(C<T>.One);
        return TW.Divide(one, TW.Add(one, Transcendental.Exp<T, TW, TV>(TW.Subtract(TW.Broadcast(C<T>.Zero), x))));
    }

    /// <summary>2·√(2/π)·(x + 0.044715·x³): the argument for which GELU(x) = x·σ(it).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TV GeluArgument<T, TW, TV>(TV x)
        where T : unmanaged
        where TW : struct, ISimdWidth<T, TV>
        where TV : struct
    {
        var x2 = TW.Multiply(x, x);
        var inner = TW.MultiplyAdd(TW.Multiply(x2, TW.Broadcast(C<T>.From(GeluCubic))), x, x);
        return TW.Multiply(inner, TW.Broadcast(C<T>.From(2 * SqrtTwoOverPi)));
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
    public T Invoke(T x) => Compute<ScalarWidth<T>, T>(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Invoke(Vector128<T> x) => Compute<Width128<T>, Vector128<T>>(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> x) => Compute<Width256<T>, Vector256<T>>(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> x) => Compute<Width512<T>, Vector512<T>>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Compute<TW, TV>(TV x)
        where TW : struct, ISimdWidth<T, TV>
        where TV : struct
        => x;
}

/// <summary>max(x, 0); NaN stays NaN.</summary>
/// <remarks>
/// On x86 without AVX-512 the IEEE maximum takes up to nine instructions; maxps(0, x) returns x for a NaN
/// x and for x = ±0, and clearing the sign then gives NaN, +0 and max(x, 0) everywhere else in two.
/// </remarks>
public readonly struct ReluOperator<T> : IUnaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Invoke(T x) => T.Max(x, T.Zero);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Invoke(Vector128<T> x) =>
        Sse.IsSupported ? Vector128.Abs(Vector128.MaxNative(Vector128<T>.Zero, x)) : Vector128.Max(x, Vector128<T>.Zero);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> x) =>
        Avx.IsSupported ? Vector256.Abs(Vector256.MaxNative(Vector256<T>.Zero, x)) : Vector256.Max(x, Vector256<T>.Zero);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> x) => Vector512.Max(x, Vector512<T>.Zero);
}

/// <summary>x for x &gt; 0, else alpha·x.</summary>
public readonly struct LeakyReluOperator<T>(T alpha) : IUnaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Invoke(T x) => Compute<ScalarWidth<T>, T>(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Invoke(Vector128<T> x) => Compute<Width128<T>, Vector128<T>>(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> x) => Compute<Width256<T>, Vector256<T>>(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> x) => Compute<Width512<T>, Vector512<T>>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private TV Compute<TW, TV>(TV x)
        where TW : struct, ISimdWidth<T, TV>
        where TV : struct
        => TW.Select(TW.GreaterThan(x, TW.Broadcast(T.Zero)), x, TW.Multiply(x, TW.Broadcast(alpha)));
}

/// <summary>σ(x) = 1 / (1 + e^−x).</summary>
public readonly struct SigmoidOperator<T> : IUnaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Invoke(T x) => Compute<ScalarWidth<T>, T>(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Invoke(Vector128<T> x) => Compute<Width128<T>, Vector128<T>>(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> x) => Compute<Width256<T>, Vector256<T>>(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> x) => Compute<Width512<T>, Vector512<T>>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Compute<TW, TV>(TV x)
        where TW : struct, ISimdWidth<T, TV>
        where TV : struct
        => ActivationMath.Sigmoid<T, TW, TV>(x);
}

/// <summary>tanh x, from e^(2|x|) − 1 so small inputs keep full relative accuracy.</summary>
public readonly struct TanhOperator<T> : IUnaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Invoke(T x) => Compute<ScalarWidth<T>, T>(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Invoke(Vector128<T> x) => Compute<Width128<T>, Vector128<T>>(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> x) => Compute<Width256<T>, Vector256<T>>(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> x) => Compute<Width512<T>, Vector512<T>>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Compute<TW, TV>(TV x)
        where TW : struct, ISimdWidth<T, TV>
        where TV : struct
    {
        // Beyond |x| = 9 (float) or 19.1 (double) tanh rounds to ±1; clamping keeps e^(2|x|) finite.
        var a = TW.Min(TW.Abs(x), TW.Broadcast(C<T>.From(typeof(T) == typeof(float) ? 9.0 : 19.1)));
        var em = Transcendental.ExpMinusOne<T, TW, TV>(TW.Add(a, a));
        var t = TW.CopySign(TW.Divide(em, TW.Add(em, TW.Broadcast(C<T>.Two))), x);
        return TW.Select(TW.IsNaN(x), x, t);
    }
}

/// <summary>GELU, tanh approximation: 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))), computed as x·σ(2·√(2/π)(x + 0.044715x³)).</summary>
public readonly struct GeluOperator<T> : IUnaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Invoke(T x) => Compute<ScalarWidth<T>, T>(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Invoke(Vector128<T> x) => Compute<Width128<T>, Vector128<T>>(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> x) => Compute<Width256<T>, Vector256<T>>(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> x) => Compute<Width512<T>, Vector512<T>>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Compute<TW, TV>(TV x)
        where TW : struct, ISimdWidth<T, TV>
        where TV : struct
        => TW.Multiply(x, ActivationMath.Sigmoid<T, TW, TV>(ActivationMath.GeluArgument<T, TW, TV>(x)));
}

/// <summary>SiLU (swish): x·σ(x).</summary>
public readonly struct SiluOperator<T> : IUnaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Invoke(T x) => Compute<ScalarWidth<T>, T>(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Invoke(Vector128<T> x) => Compute<Width128<T>, Vector128<T>>(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> x) => Compute<Width256<T>, Vector256<T>>(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> x) => Compute<Width512<T>, Vector512<T>>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Compute<TW, TV>(TV x)
        where TW : struct, ISimdWidth<T, TV>
        where TV : struct
        => TW.Multiply(x, ActivationMath.Sigmoid<T, TW, TV>(x));
}
