using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using SimdDescent.Kernels.Drivers;
using SimdDescent.Kernels.Functions;

namespace SimdDescent.Kernels.Operators;
/// <summary>Σ e^(x − shift): the softmax denominator without writing the numerators.</summary>
public readonly struct SumExpOperator<T>(T shift) : IUnaryReductionOperator<T>
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
    public T Accumulate(T accumulator, T x) => accumulator + Term<ScalarWidth<T>, T>(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Accumulate(Vector128<T> accumulator, Vector128<T> x) => accumulator + Term<Width128<T>, Vector128<T>>(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Accumulate(Vector256<T> accumulator, Vector256<T> x) => accumulator + Term<Width256<T>, Vector256<T>>(x);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Accumulate(Vector512<T> accumulator, Vector512<T> x) => accumulator + Term<Width512<T>, Vector512<T>>(x);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private TV Term<TW, TV>(TV x)
        where TW : struct, ISimdWidth<T, TV>
        where TV : struct
        => Transcendental.Exp<T, TW, TV>(TW.Subtract(x, TW.Broadcast(shift)));
}

/// <summary>Σ (x − y)²: the numerator of the mean squared error.</summary>
public readonly struct SquaredDifferenceOperator<T> : IBinaryReductionOperator<T>
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
    public T Accumulate(T accumulator, T x, T y) => accumulator + Term<ScalarWidth<T>, T>(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Accumulate(Vector128<T> accumulator, Vector128<T> x, Vector128<T> y) => accumulator + Term<Width128<T>, Vector128<T>>(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Accumulate(Vector256<T> accumulator, Vector256<T> x, Vector256<T> y) => accumulator + Term<Width256<T>, Vector256<T>>(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Accumulate(Vector512<T> accumulator, Vector512<T> x, Vector512<T> y) => accumulator + Term<Width512<T>, Vector512<T>>(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Term<TW, TV>(TV x, TV y)
        where TW : struct, ISimdWidth<T, TV>
        where TV : struct
    {
        var d = TW.Subtract(x, y);
        return TW.Multiply(d, d);
    }
}

/// <summary>Σ max(x, 0) − x·t + ln(1 + e^−|x|): binary cross-entropy from logits x and targets t, stable for any finite x.</summary>
public readonly struct BinaryCrossEntropyWithLogitsOperator<T> : IBinaryReductionOperator<T>
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
    public T Accumulate(T accumulator, T x, T y) => accumulator + Term<ScalarWidth<T>, T>(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector128<T> Accumulate(Vector128<T> accumulator, Vector128<T> x, Vector128<T> y) => accumulator + Term<Width128<T>, Vector128<T>>(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<T> Accumulate(Vector256<T> accumulator, Vector256<T> x, Vector256<T> y) => accumulator + Term<Width256<T>, Vector256<T>>(x, y);

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector512<T> Accumulate(Vector512<T> accumulator, Vector512<T> x, Vector512<T> y) => accumulator + Term<Width512<T>, Vector512<T>>(x, y);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static TV Term<TW, TV>(TV x, TV y)
        where TW : struct, ISimdWidth<T, TV>
        where TV : struct
    {
        var zero = TW.Broadcast(T.Zero);
        var softplus = Transcendental.Log<T, TW, TV>(TW.Add(TW.Broadcast(T.One), Transcendental.Exp<T, TW, TV>(TW.Subtract(zero, TW.Abs(x)))));
        return TW.Add(TW.Subtract(TW.Max(x, zero), TW.Multiply(x, y)), softplus);
    }
}

/// <summary>k·(x − y): the gradient of a squared error (k = 2/N).</summary>
public readonly struct ScaledDifferenceOperator<T>(T k) : IBinaryOperator<T>
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
        => TW.Multiply(TW.Subtract(x, y), TW.Broadcast(k));
}

/// <summary>k·(σ(x) − t): the gradient of binary cross-entropy with logits (k = 1/N).</summary>
public readonly struct BinaryCrossEntropyGradientOperator<T>(T k) : IBinaryOperator<T>
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
        => TW.Multiply(TW.Subtract(ActivationMath.Sigmoid<T, TW, TV>(x), y), TW.Broadcast(k));
}
