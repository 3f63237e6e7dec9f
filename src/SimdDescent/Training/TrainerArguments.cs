using System.Numerics;
using SimdDescent.Networks;
using SimdDescent.Training.Data;
using SimdDescent.Training.Optimizers;

namespace SimdDescent.Training;

/// <summary>Checks that a trainer's parts fit together; each message says what was expected.</summary>
internal static class TrainerArguments
{
    public static void Check<T>(INetwork<T> network, Optimizer<T> optimizer, TrainerOptions options)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (optimizer.ParameterCount != network.ParameterCount)
        {
            throw new ArgumentException($"Expected an optimizer over the network's {network.ParameterCount} parameters, but it has {optimizer.ParameterCount}.", nameof(optimizer));
        }

        Positive(options.Epochs, nameof(options.Epochs));
        Positive(options.Shards, nameof(options.Shards));
        Positive(options.Threads, nameof(options.Threads));
        if (options.Threads > options.Shards)
        {
            throw new ArgumentException($"Expected at most one thread per shard: Threads = {options.Threads}, Shards = {options.Shards}.", nameof(options));
        }

        if (options.BatchSize <= 0 || options.BatchSize > network.MaxBatch * options.Shards)
        {
            throw new ArgumentException(
                $"Expected BatchSize in [1, MaxBatch × Shards] = [1, {network.MaxBatch * options.Shards}], got {options.BatchSize}.", nameof(options));
        }

        if (options.MaxGradientNorm < 0 || options.GradientClipValue < 0 || options.GradientCheckInterval < 0)
        {
            throw new ArgumentException("Expected MaxGradientNorm, GradientClipValue and GradientCheckInterval ≥ 0 (0 turns each off).", nameof(options));
        }

        if (options.StartEpoch < 0 || options.StartEpoch > options.Epochs)
        {
            throw new ArgumentException($"Expected StartEpoch in [0, Epochs] = [0, {options.Epochs}], got {options.StartEpoch}.", nameof(options));
        }

        if (options.Augmentation is { } augmentation)
        {
            if ((long)augmentation.Channels * augmentation.Height * augmentation.Width != network.InputWidth)
            {
                throw new ArgumentException(
                    $"Expected augmented images of the network's {network.InputWidth} inputs; got {augmentation.Channels}×{augmentation.Height}×{augmentation.Width}.", nameof(options));
            }
        }

        if (options.EarlyStopping is { Patience: <= 0 })
        {
            throw new ArgumentException("Expected an early-stopping patience > 0.", nameof(options));
        }

        // PyTorch's OneCycleLR raises the same way for an optimizer with neither momentum nor betas.
        if (options.Schedule is { SchedulesMomentum: true } && optimizer.Groups.Any(g => g.MomentumKind == MomentumKind.None))
        {
            throw new ArgumentException(
                $"The schedule cycles momentum, which expects SGD or RMSprop built with Momentum > 0, Adam or AdamW; {optimizer.Kind} has no momentum. Turn cycleMomentum off to schedule only the rate.",
                nameof(optimizer));
        }
    }

    public static void Fits<T>(INetwork<T> network, DataSet<T> data, string name)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(data, name);
        if (data.InputWidth != network.InputWidth || data.Kind != network.TargetKind
            || (data.Kind == TargetKind.Values && data.TargetWidth != network.OutputWidth))
        {
            throw new ArgumentException(
                $"Expected {name} with {network.InputWidth} inputs and {(network.TargetKind == TargetKind.ClassLabels ? "class labels" : $"{network.OutputWidth} targets")} per row, got {data.InputWidth} inputs and {(data.Kind == TargetKind.ClassLabels ? "class labels" : $"{data.TargetWidth} targets")}.",
                name);
        }
    }

    private static void Positive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentException($"Expected {name} > 0, got {value}.", name);
        }
    }
}
