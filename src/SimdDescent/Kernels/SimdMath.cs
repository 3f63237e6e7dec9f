using System.Numerics;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Kernels;

/// <summary>
/// Vectorized elementary functions. Accuracy against <c>Math.Exp</c> / <c>Math.Log</c> rounded to the
/// element type, measured over dense sweeps of the input range (subnormals included) on every vector
/// width: exp ≤ 1 ulp (float and double), log ≤ 2 ulp (float) and ≤ 1 ulp (double).
/// </summary>
public static class SimdMath
{
    /// <summary>destination[i] = e^x[i]; overflows to +∞, underflows through the subnormals to 0, NaN stays NaN.</summary>
    public static void Exp<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => Blas.Map(new ExpOperator<T>(), x, destination);

    /// <summary>destination[i] = ln x[i]; −∞ at ±0, NaN for negative inputs and NaN.</summary>
    public static void Log<T>(ReadOnlySpan<T> x, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => Blas.Map(new LogOperator<T>(), x, destination);
}
