using SimdDescent.Training.Data;
using SimdDescent.Training.Guards;
using SimdDescent.Training.Progress;
using SimdDescent.Training.Schedules;

namespace SimdDescent.Training;

/// <summary>How <see cref="Trainer{T}"/> runs: epochs, batches, schedule, clipping, guards, parallelism, callbacks.</summary>
public sealed record TrainerOptions
{
    /// <summary>Passes over the training set (default 10).</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Rows per mini-batch (default 32); at most the network's MaxBatch times <see cref="Shards"/>.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Whether to shuffle the order of the training rows before every epoch (default true; the data set itself is never modified).</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>The seed of the shuffling; the same seed gives the same batches.</summary>
    public int Seed { get; init; }

    /// <summary>Whether to drop the last batch of an epoch when it is smaller than <see cref="BatchSize"/>.</summary>
    public bool DropLastPartialBatch { get; init; }

    /// <summary>The learning-rate schedule; null keeps each group's rate.</summary>
    public ILearningRateSchedule? Schedule { get; init; }

    /// <summary>Whether the schedule advances per epoch (default) or per optimizer step.</summary>
    public ScheduleUnit ScheduleUnit { get; init; } = ScheduleUnit.Epoch;

    /// <summary>Clip the gradient to this global L2 norm; 0 turns it off.</summary>
    public double MaxGradientNorm { get; init; }

    /// <summary>Clip every gradient element to ±this value; 0 turns it off.</summary>
    public double GradientClipValue { get; init; }

    /// <summary>What a NaN or ∞ loss or gradient does (default: throw).</summary>
    public NonFiniteAction NonFiniteAction { get; init; } = NonFiniteAction.Throw;

    /// <summary>Early stopping on the validation loss (the training loss without a validation set); null turns it off.</summary>
    public EarlyStoppingOptions? EarlyStopping { get; init; }

    /// <summary>
    /// Shards per mini-batch for data parallelism (default 1). The result depends on the shard count but
    /// not on <see cref="Threads"/>, so runs are reproducible on any machine.
    /// </summary>
    public int Shards { get; init; } = 1;

    /// <summary>
    /// The epoch to start at when resuming (default 0, a fresh run; at most <see cref="Epochs"/>). The shuffles of
    /// the earlier epochs are replayed from <see cref="Seed"/>, so pass the training data in its original row
    /// order; restore the parameters, the optimizer state and <see cref="Trainer{T}.Steps"/> before calling Fit.
    /// </summary>
    public int StartEpoch { get; init; }

    /// <summary>
    /// Random flips and shifts of the training images, drawn afresh for every batch from <see cref="Seed"/> and
    /// the epoch (so a resumed run sees the same images); null (the default) trains on the rows as they are.
    /// The data set is never modified: augmented rows are copies in the trainer's batch buffer.
    /// </summary>
    public ImageAugmentationOptions? Augmentation { get; init; }

    /// <summary>Threads that compute the shards, the calling thread included (default 1; at most <see cref="Shards"/>).</summary>
    public int Threads { get; init; } = 1;

    /// <summary>With a gradient check: also check every this many steps (0: only on the first batch).</summary>
    public int GradientCheckInterval { get; init; }

    /// <summary>
    /// Whether to count training accuracy per batch for the progress reports (classification only; costs
    /// one more forward pass per batch, because the network contract returns only the loss).
    /// </summary>
    public bool TrackTrainingAccuracy { get; init; }

    /// <summary>Called at the end of every batch and epoch (progress display, logging, stopping).</summary>
    public IReadOnlyList<ITrainingCallback> Callbacks { get; init; } = [];
}
