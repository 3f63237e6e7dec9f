namespace SimdDescent.Training.Schedules;

/// <summary>PyTorch's <c>StepLR</c>: γ₀ · gamma^⌊t / stepSize⌋.</summary>
public sealed class StepSchedule : ILearningRateSchedule
{
    private readonly int _stepSize;
    private readonly double _gamma;

    /// <summary>Multiplies the rate by <paramref name="gamma"/> every <paramref name="stepSize"/> steps.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stepSize"/> ≤ 0 or <paramref name="gamma"/> outside (0, 1].</exception>
    public StepSchedule(int stepSize, double gamma = 0.1)
    {
        ScheduleArguments.Positive(stepSize, nameof(stepSize));
        ScheduleArguments.Factor(gamma, nameof(gamma));
        _stepSize = stepSize;
        _gamma = gamma;
    }

    /// <inheritdoc/>
    public double LearningRate(double initialLearningRate, int step) => initialLearningRate * Math.Pow(_gamma, step / _stepSize);
}
