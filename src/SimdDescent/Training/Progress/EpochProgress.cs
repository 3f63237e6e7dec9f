namespace SimdDescent.Training.Progress;

/// <summary>The state of training after one epoch.</summary>
/// <param name="Epoch">0-based epoch.</param>
/// <param name="Epochs">Epochs planned.</param>
/// <param name="TrainingLoss">Mean loss over the epoch's finite batches, weighted by rows.</param>
/// <param name="TrainingAccuracy">Fraction of the epoch's training rows classified right before their step (NaN unless tracked).</param>
/// <param name="ValidationLoss">Mean loss on the validation set (NaN without one).</param>
/// <param name="ValidationAccuracy">Fraction of validation rows classified right (NaN without one, or for regression).</param>
/// <param name="LearningRate">The default group's learning rate at the end of the epoch.</param>
/// <param name="SamplesPerSecond">Training rows of the epoch over the time its steps took (<see cref="StepSeconds"/>).</param>
/// <param name="IsBest">Whether the monitored loss is the best so far.</param>
public readonly record struct EpochProgress(
    int Epoch, int Epochs, double TrainingLoss, double TrainingAccuracy, double ValidationLoss, double ValidationAccuracy, double LearningRate, double SamplesPerSecond, bool IsBest)
{
    /// <summary>Seconds the epoch's training steps took (forward, backward, update; not batching, callbacks or validation).</summary>
    public double StepSeconds { get; init; }

    /// <summary>Seconds from the epoch's shuffle to the end of its validation: the steps and everything around them.</summary>
    public double Seconds { get; init; }
}
