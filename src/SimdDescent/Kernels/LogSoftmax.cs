using System.Numerics;
using SimdDescent.Kernels.Drivers;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Kernels;

/// <summary>
/// Row-wise log-softmax, (x − max) − ln Σ e^(x − max): stable for logits of any finite size, and the
/// shift is subtracted before the log-sum so a logit at the maximum keeps its small result even when
/// max + ln Σ would round back to max.
/// </summary>
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
            var (max, logSum) = ShiftedLogSumExp(row);
            ElementwiseDriver.Map(new LogSoftmaxOperator<T>(max, logSum), row, destination.Slice(r * width, width));
        }
    }

    /// <summary>The row's maximum and ln Σ e^(x − max): logsumexp(row) = max + logSum, kept apart for precision.</summary>
    internal static (T Max, T LogSum) ShiftedLogSumExp<T>(ReadOnlySpan<T> row)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var max = ReductionDriver.Reduce(new MaxOperator<T>(), row);
        return (max, T.Log(ReductionDriver.Reduce(new SumExpOperator<T>(max), row)));
    }
}
