namespace SimdDescent.Training.Schedules;

/// <summary>The learning rate never changes.</summary>
public sealed class ConstantSchedule : ILearningRateSchedule
{
    /// <inheritdoc/>
    public double LearningRate(double initialLearningRate, int step) => initialLearningRate;
}
