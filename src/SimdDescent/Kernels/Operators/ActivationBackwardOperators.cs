using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using SimdDescent.Kernels.Drivers;
using SimdDescent.Kernels.Functions;

namespace SimdDescent.Kernels.Operators;
/// <summary>dx = dy where the ReLU output y &gt; 0, else 0. Invoke(dy, y).</summary>
public readonly struct ReluBackwardOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Invoke(T x, T y) => Compute<ScalarWidth<T>, T>(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Invoke(Vector128<T> x, Vector128<T> y) => Compute<Width128<T>, Vector128<T>>(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => Compute<Width256<T>, Vector256<T>>(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> y) => Compute<Width512<T>, Vector512<T>>(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Compute<TW, TV>(TV x, TV y)
        where TW : struct, ISimdWidth<T, TV>
        where TV : struct
        => TW.Select(TW.GreaterThan(y, TW.Broadcast(T.Zero)), x, TW.Broadcast(T.Zero));
}

/// <summary>dx = dy where the output y &gt; 0, else alpha·dy (alpha ≥ 0, so the output's sign is the input's). Invoke(dy, y).</summary>
public readonly struct LeakyReluBackwardOperator<T>(T alpha) : IBinaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Invoke(T x, T y) => Compute<ScalarWidth<T>, T>(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Invoke(Vector128<T> x, Vector128<T> y) => Compute<Width128<T>, Vector128<T>>(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => Compute<Width256<T>, Vector256<T>>(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> y) => Compute<Width512<T>, Vector512<T>>(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private TV Compute<TW, TV>(TV x, TV y)
        where TW : struct, ISimdWidth<T, TV>
        where TV : struct
        => TW.Select(TW.GreaterThan(y, TW.Broadcast(T.Zero)), x, TW.Multiply(x, TW.Broadcast(alpha)));
}

/// <summary>dx = dy·y·(1 − y) from the sigmoid output y. Invoke(dy, y).</summary>
public readonly struct SigmoidBackwardOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Invoke(T x, T y) => Compute<ScalarWidth<T>, T>(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Invoke(Vector128<T> x, Vector128<T> y) => Compute<Width128<T>, Vector128<T>>(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => Compute<Width256<T>, Vector256<T>>(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> y) => Compute<Width512<T>, Vector512<T>>(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Compute<TW, TV>(TV x, TV y)
        where TW : struct, ISimdWidth<T, TV>
        where TV : struct
        => TW.Multiply(TW.Multiply(x, y), TW.Subtract(TW.Broadcast(T.One), y));
}

/// <summary>dx = dy·(1 − y²) from the tanh output y. Invoke(dy, y).</summary>
public readonly struct TanhBackwardOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Invoke(T x, T y) => Compute<ScalarWidth<T>, T>(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Invoke(Vector128<T> x, Vector128<T> y) => Compute<Width128<T>, Vector128<T>>(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => Compute<Width256<T>, Vector256<T>>(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> y) => Compute<Width512<T>, Vector512<T>>(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Compute<TW, TV>(TV x, TV y)
        where TW : struct, ISimdWidth<T, TV>
        where TV : struct
        => TW.Multiply(x, TW.Subtract(TW.Broadcast(T.One), TW.Multiply(y, y)));
}

/// <summary>dx = dy·GELU′(x) for the tanh approximation, from the input x. Invoke(dy, x).</summary>
public readonly struct GeluBackwardOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Invoke(T x, T y) => Compute<ScalarWidth<T>, T>(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Invoke(Vector128<T> x, Vector128<T> y) => Compute<Width128<T>, Vector128<T>>(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => Compute<Width256<T>, Vector256<T>>(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> y) => Compute<Width512<T>, Vector512<T>>(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Compute<TW, TV>(TV x, TV y)
        where TW : struct, ISimdWidth<T, TV>
        where TV : struct
    {
        // GELU(x) = x·s with s = σ(g(x)), g = 2√(2/π)(x + 0.044715x³):
        // GELU′ = s + x·s·(1 − s)·g′(x), g′ = 2√(2/π)(1 + 3·0.044715x²).
        var s = ActivationMath.Sigmoid<T, TW, TV>(ActivationMath.GeluArgument<T, TW, TV>(y));
        var gPrime = TW.MultiplyAdd(
            TW.Multiply(y, y),
            TW.Broadcast(C<T>.From(2 * ActivationMath.SqrtTwoOverPi * 3 * ActivationMath.GeluCubic)),
            TW.Broadcast(C<T>.From(2 * ActivationMath.SqrtTwoOverPi)));
        var sPrime = TW.Multiply(s, TW.Subtract(TW.Broadcast(T.One), s));
        return TW.Multiply(x, TW.MultiplyAdd(TW.Multiply(y, sPrime), gPrime, s));
    }
}

/// <summary>dx = dy·σ(x)·(1 + x·(1 − σ(x))), from the input x. Invoke(dy, x).</summary>
public readonly struct SiluBackwardOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Invoke(T x, T y) => Compute<ScalarWidth<T>, T>(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Invoke(Vector128<T> x, Vector128<T> y) => Compute<Width128<T>, Vector128<T>>(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => Compute<Width256<T>, Vector256<T>>(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> y) => Compute<Width512<T>, Vector512<T>>(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Compute<TW, TV>(TV x, TV y)
        where TW : struct, ISimdWidth<T, TV>
        where TV : struct
    {
        var s = ActivationMath.Sigmoid<T, TW, TV>(y);
        var one = TW.Broadcast(T.One);
        return TW.Multiply(x, TW.Multiply(s, TW.MultiplyAdd(y, TW.Subtract(one, s), one)));
    }
}
