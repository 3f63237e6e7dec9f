using System.Numerics;
using SimdDescent.Kernels;
using SimdDescent.Kernels.Drivers;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Layers;

/// <summary>
/// Batch normalization per channel of an NCHW tensor [batch, channels, h, w], as PyTorch's BatchNorm2d:
/// y = (x − μ)·r·weight + bias with r = 1/√(σ² + ε). Training uses the batch's μ and biased σ² over
/// batch·h·w values and moves the running statistics by <c>momentum</c> toward μ and the unbiased
/// variance; inference uses the running statistics. Counting batches (num_batches_tracked) is the caller's.
/// </summary>
public static class BatchNorm2D
{
    /// <summary>
    /// Training forward: y from the batch statistics; writes <paramref name="mean"/> and <paramref name="inverseStd"/>
    /// [channels] for the backward pass and updates <paramref name="runningMean"/> and <paramref name="runningVariance"/>
    /// as running = (1 − momentum)·running + momentum·statistic.
    /// </summary>
    /// <exception cref="ArgumentException">A span does not hold the number of elements its shape needs, or a channel has fewer than two values.</exception>
    public static void Forward<T>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> y, Span<T> mean, Span<T> inverseStd,
        Span<T> runningMean, Span<T> runningVariance, int batch, int channels, int planeSize, T epsilon, T momentum)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Check(x, weight, bias, y, batch, channels, planeSize);
        Guard.Length(mean, channels);
        Guard.Length(inverseStd, channels);
        Guard.Length(runningMean, channels);
        Guard.Length(runningVariance, channels);
        var count = batch * planeSize;
        if (count < 2)
        {
            throw new ArgumentException($"Expected more than one value per channel in training (batch · h · w = {count}).", nameof(x));
        }

        var n = T.CreateTruncating(count);
        for (var c = 0; c < channels; c++)
        {
            // Three passes over the channel: the sum, the squares about the mean (not E[x²] − μ², which cancels
            // catastrophically), and y = x·scale + shift.
            T sum = T.Zero, squares = T.Zero;
            for (var b = 0; b < batch; b++)
            {
                sum += Reductions.Sum(Plane(x, b, c, channels, planeSize));
            }

            var mu = sum / n;
            for (var b = 0; b < batch; b++)
            {
                squares += ReductionDriver.Reduce(new CenteredSumOfSquaresOperator<T>(mu), Plane(x, b, c, channels, planeSize));
            }

            var rstd = T.One / T.Sqrt((squares / n) + epsilon);
            Normalize(x, y, c, weight[c] * rstd, bias[c] - (mu * weight[c] * rstd), batch, channels, planeSize);
            mean[c] = mu;
            inverseStd[c] = rstd;
            runningMean[c] = ((T.One - momentum) * runningMean[c]) + (momentum * mu);
            runningVariance[c] = ((T.One - momentum) * runningVariance[c]) + (momentum * squares / (n - T.One));
        }
    }

    /// <summary>
    /// Inference forward: y = (x − runningMean)/√(runningVariance + ε)·weight + bias, one fused multiply-add per element.
    /// Writes the statistics it used to <paramref name="mean"/> and <paramref name="inverseStd"/> for an inference-mode backward.
    /// </summary>
    /// <exception cref="ArgumentException">A span does not hold the number of elements its shape needs.</exception>
    public static void Infer<T>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, ReadOnlySpan<T> runningMean, ReadOnlySpan<T> runningVariance,
        Span<T> y, Span<T> mean, Span<T> inverseStd, int batch, int channels, int planeSize, T epsilon)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Check(x, weight, bias, y, batch, channels, planeSize);
        Guard.Length(runningMean, channels);
        Guard.Length(runningVariance, channels);
        Guard.Length(mean, channels);
        Guard.Length(inverseStd, channels);
        for (var c = 0; c < channels; c++)
        {
            mean[c] = runningMean[c];
            inverseStd[c] = T.One / T.Sqrt(runningVariance[c] + epsilon);
            var scale = weight[c] * inverseStd[c];
            Normalize(x, y, c, scale, bias[c] - (runningMean[c] * scale), batch, channels, planeSize);
        }
    }

    /// <summary>
    /// Overwrites <paramref name="weightGradient"/> = Σ dy ⊙ x̂ and <paramref name="biasGradient"/> = Σ dy per channel, and
    /// <paramref name="dx"/> from the mean and inverse std the forward wrote: after a training forward
    /// (<paramref name="batchStatistics"/>) dx = weight·r·(dy − Σdy/n − x̂·Σ(dy ⊙ x̂)/n), since μ and σ depend on x; after
    /// an inference forward dx = weight·r·dy. <paramref name="dx"/> must not share memory with <paramref name="dy"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A span does not hold the number of elements its shape needs.</exception>
    public static void Backward<T>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> dy, ReadOnlySpan<T> weight, ReadOnlySpan<T> mean, ReadOnlySpan<T> inverseStd,
        Span<T> weightGradient, Span<T> biasGradient, Span<T> dx, int batch, int channels, int planeSize, bool batchStatistics = true)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Check(x, weight, weightGradient, dx, batch, channels, planeSize);
        Guard.Length(dy, x.Length);
        Guard.Length(biasGradient, channels);
        Guard.Length(mean, channels);
        Guard.Length(inverseStd, channels);
        var n = T.CreateTruncating(batch * planeSize);
        for (var c = 0; c < channels; c++)
        {
            // Two reading passes (Σ dy, Σ dy·(x − μ)), then dx from dy and x in one pass, x̂ never stored.
            T mu = mean[c], rstd = inverseStd[c], sum = T.Zero, centeredDot = T.Zero;
            for (var b = 0; b < batch; b++)
            {
                var gradient = Plane(dy, b, c, channels, planeSize);
                sum += Reductions.Sum(gradient);
                centeredDot += ReductionDriver.Reduce(new CenteredDotOperator<T>(mu), gradient, Plane(x, b, c, channels, planeSize));
            }

            var dot = centeredDot * rstd;
            weightGradient[c] = dot;
            biasGradient[c] = sum;

            // dx = scale·dy + centering·(Σdy + x̂·Σ(dy ⊙ x̂)) with x̂ = (x − μ)·r, as a·dy + b·x + c.
            var scale = weight[c] * rstd;
            var centering = batchStatistics ? -scale / n : T.Zero;
            var perX = centering * dot * rstd;
            var constant = (centering * sum) - (perX * mu);
            for (var b = 0; b < batch; b++)
            {
                Blas.Map(new LinearCombinationOperator<T>(scale, perX, constant), Plane(dy, b, c, channels, planeSize), Plane(x, b, c, channels, planeSize),
                    Plane(dx, b, c, channels, planeSize));
            }
        }
    }

    /// <summary>y = x·scale + shift over channel <paramref name="c"/> of every image.</summary>
    private static void Normalize<T>(ReadOnlySpan<T> x, Span<T> y, int c, T scale, T shift, int batch, int channels, int planeSize)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        for (var b = 0; b < batch; b++)
        {
            Blas.Map(new ScaleShiftOperator<T>(scale, shift), Plane(x, b, c, channels, planeSize), Plane(y, b, c, channels, planeSize));
        }
    }

    private static Span<T> Plane<T>(Span<T> tensor, int b, int c, int channels, int planeSize) =>
        tensor.Slice(((b * channels) + c) * planeSize, planeSize);

    private static ReadOnlySpan<T> Plane<T>(ReadOnlySpan<T> tensor, int b, int c, int channels, int planeSize) =>
        tensor.Slice(((b * channels) + c) * planeSize, planeSize);

    private static void Check<T>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, ReadOnlySpan<T> y, int batch, int channels, int planeSize)
    {
        SpatialChecks.Positive(batch);
        SpatialChecks.Positive(channels);
        SpatialChecks.Positive(planeSize);
        Guard.Length(x, (long)batch * channels * planeSize);
        Guard.Length(y, x.Length);
        Guard.Length(weight, channels);
        Guard.Length(bias, channels);
    }
}
