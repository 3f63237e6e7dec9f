namespace SimdDescent.Training.Progress;

/// <summary>
/// Hears the trainer at the end of every batch and epoch: the hook for progress displays, logs and
/// custom stopping (<see cref="Trainer{T}.RequestStop"/>). Reports are passed by reference and
/// allocate nothing.
/// </summary>
public interface ITrainingCallback
{
    /// <summary>After every optimizer step.</summary>
    void OnBatchEnd(in BatchProgress progress)
    {
    }

    /// <summary>After every epoch, once the validation set has been evaluated.</summary>
    void OnEpochEnd(in EpochProgress progress)
    {
    }
}
