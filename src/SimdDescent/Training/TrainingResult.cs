using SimdDescent.Training.Progress;

namespace SimdDescent.Training;

/// <summary>What a <see cref="Trainer{T}.Fit"/> run did.</summary>
/// <param name="History">One report per completed epoch.</param>
/// <param name="BestEpoch">The epoch with the lowest monitored loss (−1 if none was finite).</param>
/// <param name="BestLoss">That loss: validation loss with a validation set, else training loss.</param>
/// <param name="StoppedEarly">Whether early stopping (or a callback) ended the run before the last epoch.</param>
/// <param name="Steps">Optimizer steps attempted.</param>
/// <param name="SkippedSteps">Steps skipped for a non-finite loss or gradient.</param>
public sealed record TrainingResult(IReadOnlyList<EpochProgress> History, int BestEpoch, double BestLoss, bool StoppedEarly, long Steps, long SkippedSteps);
