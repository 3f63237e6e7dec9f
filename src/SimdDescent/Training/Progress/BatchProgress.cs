namespace SimdDescent.Training.Progress;

/// <summary>The state of training after one batch.</summary>
/// <param name="Epoch">0-based epoch.</param>
/// <param name="Batch">0-based batch within the epoch.</param>
/// <param name="BatchesPerEpoch">Batches in this epoch.</param>
/// <param name="Step">1-based step over the whole run.</param>
/// <param name="Loss">The batch's mean loss (NaN if it was not finite and the step was skipped).</param>
/// <param name="GradientNorm">The global L2 norm of the gradient before clipping.</param>
/// <param name="LearningRate">The default group's learning rate used for the step.</param>
/// <param name="SamplesPerSecond">Rows of this batch over the time its step took.</param>
/// <param name="Skipped">Whether the step was skipped for a non-finite loss or gradient.</param>
public readonly record struct BatchProgress(
    int Epoch, int Batch, int BatchesPerEpoch, long Step, double Loss, double GradientNorm, double LearningRate, double SamplesPerSecond, bool Skipped);
