namespace SimdDescent.Training.Schedules;

/// <summary>
/// A linear warmup followed by another schedule (PyTorch's <c>LinearLR</c> then <c>SequentialLR</c>):
/// for t &lt; warmupSteps the rate is γ₀ · (s + (1 − s) · t / warmupSteps), from the start factor s up to
/// the full rate; afterwards the inner schedule runs from its own step 0.
/// </summary>
public sealed class LinearWarmupSchedule : ILearningRateSchedule
{
    private readonly int _warmupSteps;
    private readonly double _startFactor;
    private readonly ILearningRateSchedule _then;

    /// <summary>Warms up over <paramref name="warmupSteps"/> steps, then follows <paramref name="then"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="warmupSteps"/> ≤ 0 or <paramref name="startFactor"/> outside (0, 1].</exception>
    public LinearWarmupSchedule(int warmupSteps, ILearningRateSchedule then, double startFactor = 1.0 / 3)
    {
        ArgumentNullException.ThrowIfNull(then);
        ScheduleArguments.Positive(warmupSteps, nameof(warmupSteps));
        ScheduleArguments.Factor(startFactor, nameof(startFactor));
        _warmupSteps = warmupSteps;
        _startFactor = startFactor;
        _then = then;
    }

    /// <inheritdoc/>
    public double LearningRate(double initialLearningRate, int step) =>
        step < _warmupSteps
            ? initialLearningRate * (_startFactor + ((1 - _startFactor) * step / _warmupSteps))
            : _then.LearningRate(initialLearningRate, step - _warmupSteps);

    /// <inheritdoc/>
    public void ReportMetric(double metric) => _then.ReportMetric(metric);
}
