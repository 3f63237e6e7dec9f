using System.Numerics;
using SimdDescent.Kernels.Drivers;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Kernels;

/// <summary>Row-wise log-softmax, x − max − ln Σ e^(x − max): stable for logits of any finite size.</summary>
public static class LogSoftmax
{
    /// <summary>destination[r, j] = x[r, j] − logsumexp(x[r, ·]). May run in place.</summary>
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
            ElementwiseDriver.Map(new ShiftOperator<T>(-LogSumExp(row)), row, destination.Slice(r * width, width));
        }
    }

    /// <summary>ln Σ e^x over one row, computed as max + ln Σ e^(x − max).</summary>
    internal static T LogSumExp<T>(ReadOnlySpan<T> row)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var max = ReductionDriver.Reduce(new MaxOperator<T>(), row);
        return max + T.Log(ReductionDriver.Reduce(new SumExpOperator<T>(max), row));
    }
}
