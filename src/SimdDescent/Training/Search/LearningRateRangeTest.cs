using System.Numerics;
using SimdDescent.Networks;
using SimdDescent.Training.Data;
using SimdDescent.Training.Guards;
using SimdDescent.Training.Optimizers;
using SimdDescent.Randomness;

namespace SimdDescent.Training.Search;

/// <summary>
/// The learning-rate range test (L. Smith, "Cyclical Learning Rates", 2017): train one step per rate
/// while the rate grows geometrically from a minimum to a maximum, record the smoothed loss, stop once
/// it exceeds a multiple of its best, and suggest a tenth of the rate with the lowest loss. The network's
/// parameters are restored afterwards; the optimizer's state is not (use a fresh one).
/// </summary>
public static class LearningRateRangeTest
{
    /// <summary>Runs the test with <paramref name="steps"/> rates from <paramref name="minLearningRate"/> to <paramref name="maxLearningRate"/>.</summary>
    /// <param name="network">The network (its parameters are restored at the end).</param>
    /// <param name="optimizer">A fresh optimizer over the network; its learning rate is overwritten.</param>
    /// <param name="options">Trainer options (batch size, seed, shards); the data is cycled in shuffled batches.</param>
    /// <param name="training">The training set.</param>
    /// <param name="minLearningRate">The first rate.</param>
    /// <param name="maxLearningRate">The last rate.</param>
    /// <param name="steps">Rates tried at most.</param>
    /// <param name="smoothing">The weight of the loss average's past (default 0.98, fastai's).</param>
    /// <param name="divergenceFactor">Stop when the smoothed loss exceeds this multiple of its best (default 4).</param>
    /// <exception cref="ArgumentException">The range is not positive and increasing, or fewer than 2 steps.</exception>
    public static RangeTestResult Run<T>(
        INetwork<T> network, Optimizer<T> optimizer, TrainerOptions options, DataSet<T> training,
        double minLearningRate = 1e-7, double maxLearningRate = 10, int steps = 100, double smoothing = 0.98, double divergenceFactor = 4)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(training);
        if (!(minLearningRate > 0 && maxLearningRate > minLearningRate) || steps < 2 || !(smoothing >= 0 && smoothing < 1) || !(divergenceFactor > 1))
        {
            throw new ArgumentException("Expected 0 < minLearningRate < maxLearningRate, steps ≥ 2, smoothing in [0, 1) and divergenceFactor > 1.", nameof(minLearningRate));
        }

        var initial = network.Parameters.ToArray();
        using var trainer = new Trainer<T>(network, optimizer, options with { Schedule = null, NonFiniteAction = NonFiniteAction.SkipStep });
        var random = new SplitMix64((ulong)options.Seed);
        var points = new List<RangeTestPoint>(steps);
        var average = 0.0;
        var best = double.PositiveInfinity;
        var diverged = false;
        var batches = new ShuffledBatches<T>(training, options.BatchSize);
        var rows = Math.Min(options.BatchSize, training.Count);
        var first = training.Count;
        for (var i = 0; i < steps; i++)
        {
            if (first + options.BatchSize > training.Count)
            {
                batches.Shuffle(ref random);
                first = 0;
            }

            var learningRate = minLearningRate * Math.Pow(maxLearningRate / minLearningRate, (double)i / (steps - 1));
            optimizer.SetLearningRate(learningRate);
            var loss = trainer.TrainBatch(batches.Gather(first, rows), 0, rows);
            first += options.BatchSize;
            average = (smoothing * average) + ((1 - smoothing) * loss);
            var smoothed = average / (1 - Math.Pow(smoothing, i + 1));
            if (!double.IsFinite(smoothed) || smoothed > divergenceFactor * best)
            {
                diverged = true;
                break;
            }

            best = Math.Min(best, smoothed);
            points.Add(new RangeTestPoint(learningRate, loss, smoothed));
        }

        initial.CopyTo(network.Parameters);
        return new RangeTestResult(points, Suggest(points), diverged);
    }

    /// <summary>
    /// A tenth of the rate with the lowest smoothed loss: the usual reading of the curve, and steadier
    /// than the steepest slope, which batch noise dominates when the rates are closely spaced.
    /// </summary>
    private static double Suggest(List<RangeTestPoint> points)
    {
        if (points.Count == 0)
        {
            return double.NaN;
        }

        var best = points[0];
        foreach (var point in points)
        {
            best = point.SmoothedLoss < best.SmoothedLoss ? point : best;
        }

        return best.LearningRate / 10;
    }
}
