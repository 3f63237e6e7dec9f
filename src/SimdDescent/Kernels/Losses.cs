using System.Numerics;
using SimdDescent.Kernels.Drivers;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Kernels;

/// <summary>
/// Loss functions that return the mean loss and, in the same call, write the gradient of that mean
/// with respect to the predictions to <c>destination</c> (pass an empty span to skip the gradient).
/// </summary>
public static class Losses
{
    /// <summary>
    /// Softmax cross-entropy from logits (rows × classes) and integer labels: returns
    /// mean_r (logsumexp(x_r) − x_r[label_r]) and writes (softmax(x_r) − onehot(label_r)) / rows as the
    /// logits' gradient, the softmax being computed once for both.
    /// </summary>
    /// <exception cref="ArgumentException">Shapes do not match, or <paramref name="rows"/> is 0.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside [0, classes).</exception>
    public static T SoftmaxCrossEntropy<T>(ReadOnlySpan<T> logits, ReadOnlySpan<int> labels, Span<T> destination, int rows, int classes)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Scalar<T>.ThrowIfUnsupported();
        Guard.Positive(rows);
        Guard.Matrix(logits, rows, classes);
        if (labels.Length != rows)
        {
            throw new ArgumentException($"Expected one label per row ({rows}), but got {labels.Length}.", nameof(labels));
        }

        var withGradient = !destination.IsEmpty;
        if (withGradient)
        {
            Guard.Destination(logits.Length, destination);
            Guard.NoPartialOverlap(logits, destination);
        }

        var inverseRows = T.One / T.CreateTruncating(rows);
        var total = 0.0;
        for (var r = 0; r < rows; r++)
        {
            var label = labels[r];
            if ((uint)label >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), label, $"Label of row {r} must lie in [0, {classes}).");
            }

            var row = logits.Slice(r * classes, classes);
            T max, logSum;
            if (withGradient)
            {
                var gradient = destination.Slice(r * classes, classes);
                (max, var sum) = Softmax.ExponentiateShifted(row, gradient);
                logSum = T.Log(sum);
                ElementwiseDriver.Map(new ScaleOperator<T>(inverseRows / sum), gradient, gradient);
                gradient[label] -= inverseRows;
            }
            else
            {
                (max, logSum) = LogSoftmax.ShiftedLogSumExp(row);
            }

            // −log p[label] = (max − x[label]) + ln Σ e^(x − max), in that order for precision.
            total += double.CreateTruncating((max - row[label]) + logSum);
        }

        return T.CreateTruncating(total / rows);
    }

    /// <summary>Mean squared error Σ (p − t)² / N over all N elements; gradient 2(p − t)/N.</summary>
    /// <exception cref="ArgumentException">Lengths differ or are 0.</exception>
    public static T MeanSquaredError<T>(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var n = CheckPair(prediction, target, destination);
        if (!destination.IsEmpty)
        {
            ElementwiseDriver.Map(new ScaledDifferenceOperator<T>(T.CreateTruncating(2.0 / n)), prediction, target, destination);
        }

        return ReductionDriver.Reduce(new SquaredDifferenceOperator<T>(), prediction, target) / T.CreateTruncating(n);
    }

    /// <summary>
    /// Binary cross-entropy from logits x and targets t in [0, 1], mean over all N elements:
    /// max(x, 0) − x·t + ln(1 + e^−|x|) (stable for any finite logit); gradient (σ(x) − t)/N.
    /// </summary>
    /// <exception cref="ArgumentException">Lengths differ or are 0.</exception>
    public static T BinaryCrossEntropyWithLogits<T>(ReadOnlySpan<T> logits, ReadOnlySpan<T> target, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var n = CheckPair(logits, target, destination);
        if (!destination.IsEmpty)
        {
            ElementwiseDriver.Map(new BinaryCrossEntropyGradientOperator<T>(T.One / T.CreateTruncating(n)), logits, target, destination);
        }

        return ReductionDriver.Reduce(new BinaryCrossEntropyWithLogitsOperator<T>(), logits, target) / T.CreateTruncating(n);
    }

    private static int CheckPair<T>(ReadOnlySpan<T> prediction, ReadOnlySpan<T> target, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Scalar<T>.ThrowIfUnsupported();
        Guard.NotEmpty(prediction);
        Guard.SameLength(prediction, target);
        if (!destination.IsEmpty)
        {
            Guard.Destination(prediction.Length, destination);
            Guard.NoPartialOverlap(prediction, destination);
            Guard.NoPartialOverlap(target, destination);
        }

        return prediction.Length;
    }
}
