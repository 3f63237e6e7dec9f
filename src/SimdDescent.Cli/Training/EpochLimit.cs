using SimdDescent.Training;
using SimdDescent.Training.Progress;

namespace SimdDescent.Cli.Training;

/// <summary>Stops a run once it has completed a given number of epochs (counted from the start of training).</summary>
internal sealed class EpochLimit(int epochs) : ITrainingCallback
{
    public Trainer<float>? Trainer { get; set; }

    public void OnEpochEnd(in EpochProgress progress)
    {
        if (progress.Epoch + 1 >= epochs)
        {
            Trainer?.RequestStop();
        }
    }
}
