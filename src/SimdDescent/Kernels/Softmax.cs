using System.Numerics;
using SimdDescent.Kernels.Drivers;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Kernels;

/// <summary>
/// Row-wise softmax of a rows × width matrix, numerically stable: each row is shifted by its maximum
/// before exponentiation, so logits of any finite size (±1e30 included) give finite probabilities.
/// </summary>
public static class Softmax
{
    /// <summary>destination[r, j] = e^(x[r, j] − max_r) / Σ_k e^(x[r, k] − max_r). May run in place.</summary>
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> destination, int rows, int width)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Scalar<T>.ThrowIfUnsupported();
        Guard.Matrix(x, rows, width);
        Guard.Destination(x.Length, destination);
        Guard.NoPartialOverlap(x, destination);
        for (var r = 0; r < rows; r++)
        {
            var row = x.Slice(r * width, width);
            var output = destination.Slice(r * width, width);
            ExponentiateShifted(row, output);
            Blas.Scale(T.One / Reductions.Sum<T>(output), output);
        }
    }

    /// <summary>Writes e^(x − max x) to <paramref name="destination"/> and returns max x (the shift).</summary>
    internal static T ExponentiateShifted<T>(ReadOnlySpan<T> row, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var max = ReductionDriver.Reduce(new MaxOperator<T>(), row);
        ElementwiseDriver.Map(new SubtractExpOperator<T>(max), row, destination);
        return max;
    }
}
