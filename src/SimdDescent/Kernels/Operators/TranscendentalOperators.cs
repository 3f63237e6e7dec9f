using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using SimdDescent.Kernels.Drivers;
using SimdDescent.Kernels.Functions;

namespace SimdDescent.Kernels.Operators;
/// <summary>e^x; see <see cref="Transcendental"/> for the algorithm and its measured accuracy.</summary>
public readonly struct ExpOperator<T> : IUnaryOperator<T>
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
        => Transcendental.Exp<T, TW, TV>(x);
}

/// <summary>ln x; see <see cref="Transcendental"/> for the algorithm and its measured accuracy.</summary>
public readonly struct LogOperator<T> : IUnaryOperator<T>
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
        => Transcendental.Log<T, TW, TV>(x);
}

/// <summary>e^(x − shift): the numerator of a max-shifted softmax.</summary>
public readonly struct SubtractExpOperator<T>(T shift) : IUnaryOperator<T>
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
        => Transcendental.Exp<T, TW, TV>(TW.Subtract(x, TW.Broadcast(shift)));
}
