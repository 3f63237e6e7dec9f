using System.Runtime.Intrinsics;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Kernels;

/// <summary>The activation slot of a plain <see cref="Gemm.Multiply{T}"/>; the epilogue never calls it.</summary>
internal readonly struct NoActivation<T> : IUnaryOperator<T>
{
    public T Invoke(T x) => x;

    public Vector128<T> Invoke(Vector128<T> x) => x;

    public Vector256<T> Invoke(Vector256<T> x) => x;

    public Vector512<T> Invoke(Vector512<T> x) => x;
}
