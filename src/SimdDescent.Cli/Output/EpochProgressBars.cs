using System.Globalization;
using SimdDescent.Training.Progress;
using Spectre.Console;

namespace SimdDescent.Cli.Output;

/// <summary>A live progress bar per epoch (loss, samples/s while it runs; test accuracy once it ends).</summary>
internal sealed class EpochProgressBars(ProgressContext context) : ITrainingCallback
{
    private ProgressTask? _current;
    private int _currentEpoch = -1;

    public void OnBatchEnd(in BatchProgress progress)
    {
        if (progress.Epoch != _currentEpoch)
        {
            _currentEpoch = progress.Epoch;
            _current = context.AddTask($"epoch {progress.Epoch + 1}", maxValue: progress.BatchesPerEpoch);
        }

        _current!.Increment(1);
        if (progress.Batch % 16 == 0 || progress.Batch == progress.BatchesPerEpoch - 1)
        {
            _current.Description = string.Create(
                CultureInfo.InvariantCulture, $"epoch {progress.Epoch + 1} loss {progress.Loss:F4} {progress.SamplesPerSecond:N0} samples/s");
        }
    }

    public void OnEpochEnd(in EpochProgress progress)
    {
        if (_current is null)
        {
            return;
        }

        _current.Description = string.Create(
            CultureInfo.InvariantCulture,
            $"epoch {progress.Epoch + 1}/{progress.Epochs} loss {progress.TrainingLoss:F4} test acc {progress.ValidationAccuracy:P2} {progress.SamplesPerSecond:N0} samples/s");
        _current.Value = _current.MaxValue;
        _current.StopTask();
    }
}
