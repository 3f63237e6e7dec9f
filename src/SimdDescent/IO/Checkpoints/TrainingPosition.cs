namespace SimdDescent.IO.Checkpoints;

/// <summary>Where a training run stands when a checkpoint is written; what a resumed run needs besides the arenas.</summary>
/// <param name="Epoch">Epochs completed: the resumed run's <c>TrainerOptions.StartEpoch</c>.</param>
/// <param name="Steps">The trainer's step counter (<c>Trainer.Steps</c>), the position of a per-batch schedule.</param>
/// <param name="ShuffleSeed">The seed of the shuffle RNG (<c>TrainerOptions.Seed</c>); replaying <paramref name="Epoch"/> shuffles restores its state.</param>
public sealed record TrainingPosition(int Epoch, long Steps, int ShuffleSeed);
