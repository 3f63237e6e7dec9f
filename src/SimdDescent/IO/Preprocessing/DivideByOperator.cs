using System.Numerics;
using System.Runtime.Intrinsics;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.IO.Preprocessing;

/// <summary>x / d for a fixed divisor d: a true division, so that d / d is exactly 1 (a multiplication by 1/d need not be).</summary>
/// <param name="divisor">The divisor d.</param>
internal readonly struct DivideByOperator<T>(T divisor) : IUnaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public T Invoke(T x) => x / divisor;

    public Vector128<T> Invoke(Vector128<T> x) => x / Vector128.Create(divisor);

    public Vector256<T> Invoke(Vector256<T> x) => x / Vector256.Create(divisor);

    public Vector512<T> Invoke(Vector512<T> x) => x / Vector512.Create(divisor);
}
