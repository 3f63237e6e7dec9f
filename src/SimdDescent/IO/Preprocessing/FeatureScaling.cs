using System.Numerics;
using SimdDescent.Kernels;

namespace SimdDescent.IO.Preprocessing;

/// <summary>Fixed rescalings of raw feature values, such as pixel intensities, applied in place.</summary>
public static class FeatureScaling
{
    /// <summary>
    /// Divides every value by <paramref name="maximum"/>, mapping [0, maximum] onto [0, 1]: pixels stored as
    /// 0..255 (MNIST) use 255, the 0..16 counts of the digits data set use 16.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maximum"/> is not a positive finite number.</exception>
    public static void ToUnitInterval<T>(Span<T> values, T maximum)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (!(T.IsFinite(maximum) && maximum > T.Zero))
        {
            throw new ArgumentOutOfRangeException(nameof(maximum), maximum, "Expected the largest raw value to be a positive finite number.");
        }

        Blas.Map(new DivideByOperator<T>(maximum), values, values);
    }
}
