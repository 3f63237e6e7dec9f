namespace SimdDescent.Training.Search;

/// <summary>One configuration tried by a <see cref="HyperparameterSearch{T}"/> and how it did.</summary>
/// <param name="LearningRate">The initial learning rate.</param>
/// <param name="BatchSize">Rows per mini-batch.</param>
/// <param name="ValidationLoss">The best validation loss over the trial's epochs (+∞ if it diverged).</param>
/// <param name="ValidationAccuracy">The validation accuracy at that epoch (NaN for regression or divergence).</param>
/// <param name="TrainingLoss">The training loss of the trial's last epoch.</param>
/// <param name="BestEpoch">The epoch of the best validation loss (−1 if it diverged).</param>
/// <param name="Diverged">Whether a loss or gradient became NaN or ∞.</param>
public sealed record Trial(double LearningRate, int BatchSize, double ValidationLoss, double ValidationAccuracy, double TrainingLoss, int BestEpoch, bool Diverged);
