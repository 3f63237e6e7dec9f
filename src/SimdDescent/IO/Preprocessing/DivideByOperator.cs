using System.Numerics;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.IO.Preprocessing;

/// <summary>x / d for a fixed divisor d: a true division, so that d / d is exactly 1 (a multiplication by 1/d need not be).</summary>
/// <param name="divisor">The divisor d.</param>
internal readonly struct DivideByOperator<T>(T divisor) : IUnaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public TVector Invoke<TWidth, TVector>(TVector x)
        where TWidth : struct, ISimdWidth<T, TVector>
        where TVector : struct
        => TWidth.Divide(x, TWidth.Broadcast(divisor));
}
