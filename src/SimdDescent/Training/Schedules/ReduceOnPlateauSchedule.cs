namespace SimdDescent.Training.Schedules;

/// <summary>
/// PyTorch's <c>ReduceLROnPlateau</c>: when the monitored metric has not improved (relative threshold)
/// for more than <c>patience</c> reports, the rate is multiplied by <c>factor</c>, never below
/// <c>minimumLearningRate</c>, then <c>cooldown</c> reports pass before bad reports count again.
/// The step argument is ignored: only <see cref="ReportMetric"/> moves it.
/// </summary>
public sealed class ReduceOnPlateauSchedule : ILearningRateSchedule
{
    private readonly double _factor;
    private readonly int _patience;
    private readonly double _threshold;
    private readonly int _cooldown;
    private readonly double _minimum;
    private readonly bool _maximize;
    private double _best;
    private int _badReports;
    private int _cooldownLeft;

    /// <summary>Creates the schedule; <paramref name="maximize"/> monitors a metric that should grow (accuracy).</summary>
    /// <exception cref="ArgumentOutOfRangeException">factor outside (0, 1), or a negative patience, threshold, cooldown or minimum.</exception>
    public ReduceOnPlateauSchedule(
        double factor = 0.1, int patience = 10, double threshold = 1e-4, int cooldown = 0, double minimumLearningRate = 0, bool maximize = false)
    {
        if (!(factor > 0 && factor < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "Expected factor in (0, 1).");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(patience);
        ArgumentOutOfRangeException.ThrowIfNegative(cooldown);
        ScheduleArguments.NonNegative(threshold, nameof(threshold));
        ScheduleArguments.NonNegative(minimumLearningRate, nameof(minimumLearningRate));
        _factor = factor;
        _patience = patience;
        _threshold = threshold;
        _cooldown = cooldown;
        _minimum = minimumLearningRate;
        _maximize = maximize;
        _best = maximize ? double.NegativeInfinity : double.PositiveInfinity;
    }

    /// <summary>How many times the rate has been reduced.</summary>
    public int Reductions { get; private set; }

    /// <inheritdoc/>
    public double LearningRate(double initialLearningRate, int step) =>
        Math.Max(initialLearningRate * Math.Pow(_factor, Reductions), _minimum);

    /// <inheritdoc/>
    public void ReportMetric(double metric)
    {
        var improved = _maximize ? metric > _best * (1 + _threshold) : metric < _best * (1 - _threshold);
        if (improved)
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
}
