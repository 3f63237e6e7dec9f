using System.Numerics;
using System.Runtime.CompilerServices;

namespace SimdDescent.Kernels.Operators;

/// <summary>x + y.</summary>
public readonly struct AddOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TWidth, TVector>(TVector x, TVector y)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => TWidth.Add(x, y);
}

/// <summary>
/// y where y &gt; x, else x: folded left to right it keeps the earlier of equal values, and a NaN only where it
/// comes first, so a max pooling's forward yields the value its backward's first arg-max holds (up to the sign of a zero).
/// </summary>
internal readonly struct FirstMaximumOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TWidth, TVector>(TVector x, TVector y)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => TWidth.Select(TWidth.GreaterThan(y, x), y, x);
}

/// <summary>activation(x + shift): a bias per row of a product whose epilogue adds biases per column.</summary>
internal readonly struct ShiftActivationOperator<T, TActivation>(T shift, TActivation activation) : IUnaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
    where TActivation : struct, IUnaryOperator<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TWidth, TVector>(TVector x)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => activation.Invoke<TWidth, TVector>(TWidth.Add(x, TWidth.Broadcast(shift)));
}

/// <summary>a·x + b·y + c.</summary>
internal readonly struct LinearCombinationOperator<T>(T a, T b, T c) : IBinaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TWidth, TVector>(TVector x, TVector y)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => TWidth.MultiplyAdd(TWidth.Broadcast(a), x, TWidth.MultiplyAdd(TWidth.Broadcast(b), y, TWidth.Broadcast(c)));
}

/// <summary>x − y.</summary>
public readonly struct SubtractOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TWidth, TVector>(TVector x, TVector y)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => TWidth.Subtract(x, y);
}

/// <summary>x · y.</summary>
public readonly struct MultiplyOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TWidth, TVector>(TVector x, TVector y)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => TWidth.Multiply(x, y);
}

/// <summary>x · y + z, fused where the hardware has FMA.</summary>
public readonly struct MultiplyAddOperator<T> : ITernaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TWidth, TVector>(TVector x, TVector y, TVector z)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => TWidth.MultiplyAdd(x, y, z);
}

/// <summary>a · x + y (the BLAS axpy), fused where the hardware has FMA.</summary>
/// <param name="a">The scale applied to x.</param>
public readonly struct AxpyOperator<T>(T a) : IBinaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TWidth, TVector>(TVector x, TVector y)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => TWidth.MultiplyAdd(TWidth.Broadcast(a), x, y);
}

/// <summary>a · x.</summary>
/// <param name="a">The scale.</param>
public readonly struct ScaleOperator<T>(T a) : IUnaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TWidth, TVector>(TVector x)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => TWidth.Multiply(TWidth.Broadcast(a), x);
}

/// <summary>scale · x + shift, fused where the hardware has FMA (a per-channel affine map).</summary>
/// <param name="scale">The factor applied to x.</param>
/// <param name="shift">The value added after scaling.</param>
public readonly struct ScaleShiftOperator<T>(T scale, T shift) : IUnaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TWidth, TVector>(TVector x)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => TWidth.MultiplyAdd(TWidth.Broadcast(scale), x, TWidth.Broadcast(shift));
}

/// <summary>x limited to [min, max]; NaN stays NaN.</summary>
/// <param name="min">The lower bound.</param>
/// <param name="max">The upper bound (≥ min).</param>
public readonly struct ClampOperator<T>(T min, T max) : IUnaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TWidth, TVector>(TVector x)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => TWidth.Select(TWidth.IsNaN(x), x, TWidth.MinNative(TWidth.MaxNative(x, TWidth.Broadcast(min)), TWidth.Broadcast(max)));
}

/// <summary>(x − max) − logSum: log-softmax from a row's maximum and ln Σ e^(x − max).</summary>
/// <param name="max">The row's maximum.</param>
/// <param name="logSum">ln Σ e^(x − max) over the row.</param>
internal readonly struct LogSoftmaxOperator<T>(T max, T logSum) : IUnaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TWidth, TVector>(TVector x)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => TWidth.Subtract(TWidth.Subtract(x, TWidth.Broadcast(max)), TWidth.Broadcast(logSum));
}
