using System.Diagnostics;
using System.Globalization;
using SimdDescent.Training.Progress;
using Spectre.Console;

namespace SimdDescent.Cli.Output;

/// <summary>A live progress bar per epoch (loss, samples/s while it runs; test accuracy once it ends).</summary>
internal sealed class EpochProgressBars(ProgressContext context) : ITrainingCallback
{
    // The display redraws ten times a second; updating the task more often than that only costs the steps time.
    private static readonly long UpdateInterval = Stopwatch.Frequency / 20;
    private ProgressTask? _current;
    private int _currentEpoch = -1;
    private long _lastUpdate;

    public void OnBatchEnd(in BatchProgress progress)
    {
        if (progress.Epoch != _currentEpoch)
        {
            _currentEpoch = progress.Epoch;
            _current = context.AddTask($"epoch {progress.Epoch + 1}", maxValue: progress.BatchesPerEpoch);
        }

        var now = Stopwatch.GetTimestamp();
        if (now - _lastUpdate < UpdateInterval && progress.Batch != progress.BatchesPerEpoch - 1)
        {
            return;
        }

        _lastUpdate = now;
        _current!.Value = progress.Batch + 1;
        _current.Description = string.Create(
            CultureInfo.InvariantCulture, $"epoch {progress.Epoch + 1} loss {progress.Loss:F4} {progress.SamplesPerSecond:N0} samples/s");
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
