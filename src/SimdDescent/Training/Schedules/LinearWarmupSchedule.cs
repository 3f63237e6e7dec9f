namespace SimdDescent.Training.Schedules;

/// <summary>
/// A linear warmup followed by another schedule (PyTorch's <c>LinearLR</c> then <c>SequentialLR</c>):
/// for t &lt; warmupSteps the rate is γ₀ · (s + (1 − s) · t / warmupSteps), from the start factor s up to
/// the full rate; afterwards the inner schedule runs from its own step 0.
/// </summary>
/// <remarks>
/// Momentum passes through: when the inner schedule sets momentum, the warmup holds it at the inner
/// schedule's step-0 value and then follows the inner schedule. That is what PyTorch's <c>SequentialLR</c>
/// does with a <c>OneCycleLR</c> after the warmup, whose constructor already sets the momentum to its
/// start value (<c>max_momentum</c>).
/// </remarks>
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
        Hyperparameter.Positive(warmupSteps, nameof(warmupSteps));
        Hyperparameter.Factor(startFactor, nameof(startFactor));
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

    /// <summary>Whether the schedule after the warmup sets momentum.</summary>
    public bool SchedulesMomentum => _then.SchedulesMomentum;

    /// <summary>The inner schedule's momentum, held at its step-0 value during the warmup.</summary>
    /// <exception cref="NotSupportedException">The inner schedule has no momentum.</exception>
    public double Momentum(int step) => _then.Momentum(Math.Max(step - _warmupSteps, 0));
}
