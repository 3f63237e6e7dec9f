using SimdDescent.IO.Checkpoints;
using SimdDescent.Networks;
using SimdDescent.Training;
using SimdDescent.Training.Progress;

namespace SimdDescent.Cli.Training;

/// <summary>Writes a full training checkpoint after every epoch (atomically, so an interrupted save keeps the last one).</summary>
internal sealed class CheckpointWriter(string path, INetwork<float> network, RunSettings settings) : ITrainingCallback
{
    public Trainer<float>? Trainer { get; set; }

    public void OnEpochEnd(in EpochProgress progress)
    {
        var trainer = Trainer ?? throw new InvalidOperationException("The checkpoint writer was not given its trainer.");
        TrainingCheckpoint.Save(path, network, trainer.Optimizer, new TrainingPosition(progress.Epoch + 1, trainer.Steps, settings.Seed), settings.ToMetadata());
    }
}
