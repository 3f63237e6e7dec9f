namespace SimdDescent.Training.Schedules;

/// <summary>
/// PyTorch's <c>CosineAnnealingLR</c> in closed form: η_min + (γ₀ − η_min)(1 + cos(π t / T_max)) / 2,
/// held at η_min after T_max steps.
/// </summary>
public sealed class CosineAnnealingSchedule : ILearningRateSchedule
{
    private readonly int _maxSteps;
    private readonly double _minimum;

    /// <summary>Anneals from the initial rate to <paramref name="minimumLearningRate"/> over <paramref name="maxSteps"/> steps.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxSteps"/> ≤ 0 or a negative minimum.</exception>
    public CosineAnnealingSchedule(int maxSteps, double minimumLearningRate = 0)
    {
        ScheduleArguments.Positive(maxSteps, nameof(maxSteps));
        ScheduleArguments.NonNegative(minimumLearningRate, nameof(minimumLearningRate));
        _maxSteps = maxSteps;
        _minimum = minimumLearningRate;
    }

    /// <inheritdoc/>
    public double LearningRate(double initialLearningRate, int step)
    {
        var progress = Math.Min(step, _maxSteps) / (double)_maxSteps;
        return _minimum + ((initialLearningRate - _minimum) * (1 + Math.Cos(Math.PI * progress)) / 2);
    }
}
