namespace SimdDescent.Training.Schedules;

/// <summary>PyTorch's <c>ExponentialLR</c>: γ₀ · gamma^t.</summary>
public sealed class ExponentialSchedule : ILearningRateSchedule
{
    private readonly double _gamma;

    /// <summary>Multiplies the rate by <paramref name="gamma"/> every step.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="gamma"/> outside (0, 1].</exception>
    public ExponentialSchedule(double gamma)
    {
        ScheduleArguments.Factor(gamma, nameof(gamma));
        _gamma = gamma;
    }

    /// <inheritdoc/>
    public double LearningRate(double initialLearningRate, int step) => initialLearningRate * Math.Pow(_gamma, step);
}
