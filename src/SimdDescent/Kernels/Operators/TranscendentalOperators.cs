using System.Numerics;
using System.Runtime.CompilerServices;
using SimdDescent.Kernels.Functions;

namespace SimdDescent.Kernels.Operators;
/// <summary>e^x; see <see cref="Transcendental"/> for the algorithm and its measured accuracy.</summary>
public readonly struct ExpOperator<T> : IUnaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TWidth, TVector>(TVector x)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => Transcendental.Exp<T, TWidth, TVector>(x);
}

/// <summary>ln x; see <see cref="Transcendental"/> for the algorithm and its measured accuracy.</summary>
public readonly struct LogOperator<T> : IUnaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TWidth, TVector>(TVector x)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => Transcendental.Log<T, TWidth, TVector>(x);
}

/// <summary>e^(x − shift): the numerator of a max-shifted softmax.</summary>
internal readonly struct SubtractExpOperator<T>(T shift) : IUnaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TVector Invoke<TWidth, TVector>(TVector x)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => Transcendental.Exp<T, TWidth, TVector>(TWidth.Subtract(x, TWidth.Broadcast(shift)));
}
