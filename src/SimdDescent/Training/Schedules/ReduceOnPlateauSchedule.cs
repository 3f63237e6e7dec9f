namespace SimdDescent.Training.Schedules;

/// <summary>
/// PyTorch's <c>ReduceLROnPlateau</c>: when the monitored metric has not improved (by a relative or
/// absolute threshold) for more than <c>patience</c> reports, each group's rate is multiplied by
/// <c>factor</c>, never below <c>minimumLearningRate</c>, unless that would change it by <c>epsilon</c> or
/// less; then <c>cooldown</c> reports pass before bad reports count again. The step argument is ignored:
/// only <see cref="ReportMetric"/> moves it.
/// </summary>
public sealed class ReduceOnPlateauSchedule : ILearningRateSchedule
{
    private readonly double _factor;
    private readonly int _patience;
    private readonly double _threshold;
    private readonly ThresholdMode _thresholdMode;
    private readonly int _cooldown;
    private readonly double _minimum;
    private readonly double _epsilon;
    private readonly bool _maximize;
    private double _best;
    private int _badReports;
    private int _cooldownLeft;

    /// <summary>Creates the schedule with PyTorch's defaults.</summary>
    /// <param name="factor">The rate is multiplied by this at a plateau, in (0, 1).</param>
    /// <param name="patience">Reports without improvement tolerated before a reduction (≥ 0).</param>
    /// <param name="threshold">How much better a metric must be to count as an improvement (≥ 0; see <paramref name="thresholdMode"/>).</param>
    /// <param name="cooldown">Reports after a reduction during which bad reports are not counted (≥ 0).</param>
    /// <param name="minimumLearningRate">The floor of every group's rate (≥ 0); a rate already below it is never raised.</param>
    /// <param name="maximize">Whether the metric should grow (accuracy) rather than shrink (loss).</param>
    /// <param name="thresholdMode">Whether <paramref name="threshold"/> is relative to the best metric (default) or absolute.</param>
    /// <param name="epsilon">A reduction that changes a rate by this or less is skipped (default 1e-8, ≥ 0).</param>
    /// <exception cref="ArgumentOutOfRangeException">A setting is out of its range or the threshold mode is unknown.</exception>
    public ReduceOnPlateauSchedule(
        double factor = 0.1,
        int patience = 10,
        double threshold = 1e-4,
        int cooldown = 0,
        double minimumLearningRate = 0,
        bool maximize = false,
        ThresholdMode thresholdMode = ThresholdMode.Relative,
        double epsilon = 1e-8)
    {
        if (!(factor > 0 && factor < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "Expected factor in (0, 1).");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        ArgumentOutOfRangeException.ThrowIfNegative(cooldown);
        Hyperparameter.NonNegative(threshold, nameof(threshold));
        Hyperparameter.NonNegative(minimumLearningRate, nameof(minimumLearningRate));
        Hyperparameter.NonNegative(epsilon, nameof(epsilon));
        if (!Enum.IsDefined(thresholdMode))
        {
            throw new ArgumentOutOfRangeException(nameof(thresholdMode), thresholdMode, "Expected ThresholdMode.Relative or ThresholdMode.Absolute.");
        }

        _factor = factor;
        _patience = patience;
        _threshold = threshold;
        _thresholdMode = thresholdMode;
        _cooldown = cooldown;
        _minimum = minimumLearningRate;
        _epsilon = epsilon;
        _maximize = maximize;
        _best = maximize ? double.NegativeInfinity : double.PositiveInfinity;
    }

    /// <summary>How many plateaus have triggered a reduction (a group skips those that would move its rate by epsilon or less).</summary>
    public int Reductions { get; private set; }

    /// <inheritdoc/>
    public double LearningRate(double initialLearningRate, int step)
    {
        // Replays PyTorch's _reduce_lr for this group, so the rate is a function of its initial rate and
        // needs no per-group memory. A skipped reduction leaves the rate as it was, so every later one is
        // skipped too and the replay can stop there.
        var rate = initialLearningRate;
        for (var i = 0; i < Reductions; i++)
        {
            var reduced = Math.Max(rate * _factor, _minimum);
            if (!(rate - reduced > _epsilon))
            {
                break;
            }

            rate = reduced;
        }

        return rate;
    }

    /// <inheritdoc/>
    public void ReportMetric(double metric)
    {
        if (IsBetter(metric))
        {
            _best = metric;
            _badReports = 0;
        }
        else
        {
            _badReports++;
        }

        if (_cooldownLeft > 0)
        {
            _cooldownLeft--;
            _badReports = 0;
        }

        if (_badReports > _patience)
        {
            Reductions++;
            _cooldownLeft = _cooldown;
            _badReports = 0;
        }
    }

    /// <summary>PyTorch's <c>is_better</c>.</summary>
    private bool IsBetter(double metric) => (_maximize, _thresholdMode) switch
    {
        (false, ThresholdMode.Relative) => metric < _best * (1 - _threshold),
        (false, ThresholdMode.Absolute) => metric < _best - _threshold,
        (true, ThresholdMode.Relative) => metric > _best * (1 + _threshold),
        _ => metric > _best + _threshold,
    };
}
