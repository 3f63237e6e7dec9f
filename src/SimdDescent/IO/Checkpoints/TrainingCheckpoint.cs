using System.Globalization;
using System.Numerics;
using SimdDescent.IO.Safetensors;
using SimdDescent.Networks;
using SimdDescent.Training.Optimizers;

namespace SimdDescent.IO.Checkpoints;

/// <summary>
/// A full training checkpoint in one safetensors file: the parameters (under their PyTorch names and layout, as
/// <see cref="NetworkCheckpoint"/> writes them), every optimizer state arena as <c>optimizer.{state}</c>, and in
/// the metadata the optimizer's kind and step count and the <see cref="TrainingPosition"/>. Writes are atomic, so a
/// crash during a save leaves the previous checkpoint intact.
/// </summary>
public static class TrainingCheckpoint
{
    /// <summary>The value of the <c>format</c> metadata key that marks a training checkpoint.</summary>
    public const string Format = "simddescent-training-checkpoint/1";

    private const string StatePrefix = "optimizer.";

    /// <summary>Writes the network, the optimizer and the position to <paramref name="path"/>, atomically.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="network">The network being trained.</param>
    /// <param name="optimizer">Its optimizer.</param>
    /// <param name="position">Where the run stands.</param>
    public static void Save<T>(string path, IModel<T> network, Optimizer<T> optimizer, TrainingPosition position)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(position);
        CheckOptimizerFits(network, optimizer);
        var writer = new SafetensorsWriter();
        NetworkCheckpoint.AddParameters(writer, network);
        foreach (var name in optimizer.StateNames)
        {
            writer.Add(StatePrefix + name, [optimizer.ParameterCount], new ReadOnlyMemory<T>(optimizer.GetState(name).ToArray()));
        }

        writer.AddMetadata("format", Format)
            .AddMetadata("optimizer", OptimizerKind(optimizer))
            .AddMetadata("optimizer_states", string.Join(",", optimizer.StateNames))
            .AddMetadata("optimizer_step_count", Invariant(optimizer.StepCount))
            .AddMetadata("epoch", Invariant(position.Epoch))
            .AddMetadata("steps", Invariant(position.Steps))
            .AddMetadata("shuffle_seed", Invariant(position.ShuffleSeed));
        writer.Save(path);
    }

    /// <summary>
    /// Restores the network's parameters and the optimizer's state from <paramref name="path"/> and returns the
    /// position to resume at. Everything is checked before anything changes: the format, the optimizer's kind and
    /// state names, every tensor's name, dtype and shape.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is malformed, is not a training checkpoint, or does not match the network or the optimizer.</exception>
    public static TrainingPosition Load<T>(string path, IModel<T> network, Optimizer<T> optimizer)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        CheckOptimizerFits(network, optimizer);
        using var file = SafetensorsFile.Open(path);
        var metadata = file.Metadata;
        if (!metadata.TryGetValue("format", out var format) || format != Format)
        {
            throw new InvalidDataException($"{file.Source} is not a training checkpoint: expected metadata format = {Format}, got {format ?? "none"}. (A weights-only file can be loaded with `evaluate` or as initial weights, not resumed.)");
        }

        var kind = Required(file, "optimizer");
        if (kind != OptimizerKind(optimizer))
        {
            throw new InvalidDataException($"{file.Source} holds the state of a {kind} optimizer; this run uses {OptimizerKind(optimizer)}.");
        }

        var states = Required(file, "optimizer_states");
        if (states != string.Join(",", optimizer.StateNames))
        {
            throw new InvalidDataException($"{file.Source} holds optimizer states [{states}]; this {kind} optimizer expects [{string.Join(",", optimizer.StateNames)}] (a different momentum setting?).");
        }

        var position = new TrainingPosition(
            (int)Number(file, "epoch", int.MaxValue), Number(file, "steps", long.MaxValue), (int)Number(file, "shuffle_seed", int.MaxValue, int.MinValue));
        var stepCount = Number(file, "optimizer_step_count", long.MaxValue);

        var dtype = SafetensorsDTypes.Of<T>();
        file.Verify(NetworkCheckpoint.ParameterSpecs(network, file)
            .Concat(optimizer.StateNames.Select(name => new SafetensorsTensorSpec(StatePrefix + name, dtype, [optimizer.ParameterCount]))));

        var parameters = NetworkCheckpoint.ReadParameters(file, network);
        var stateArenas = new T[optimizer.StateNames.Count][];
        for (var s = 0; s < stateArenas.Length; s++)
        {
            stateArenas[s] = new T[optimizer.ParameterCount];
            file.CopyTo(StatePrefix + optimizer.StateNames[s], stateArenas[s].AsSpan());
        }

        NetworkCheckpoint.CommitParameters<T>(parameters, network);
        optimizer.RestoreState(new OptimizerSnapshot<T>(stepCount, optimizer.StateNames, stateArenas));
        return position;
    }

    private static void CheckOptimizerFits<T>(IModel<T> network, Optimizer<T> optimizer)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (optimizer.ParameterCount != network.ParameterCount)
        {
            throw new ArgumentException($"Expected an optimizer over the network's {network.ParameterCount} parameters, got one over {optimizer.ParameterCount}.", nameof(optimizer));
        }
    }

    private static string OptimizerKind<T>(Optimizer<T> optimizer)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var name = optimizer.GetType().Name;
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        return tick < 0 ? name : name[..tick];
    }

    private static string Required(SafetensorsFile file, string key) =>
        file.Metadata.TryGetValue(key, out var value)
            ? value
            : throw new InvalidDataException($"{file.Source} is a training checkpoint without the metadata key '{key}'.");

    private static long Number(SafetensorsFile file, string key, long maximum, long minimum = 0)
    {
        var text = Required(file, key);
        if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) || value < minimum || value > maximum)
        {
            throw new InvalidDataException($"{file.Source}: expected metadata '{key}' to be an integer in [{minimum}, {maximum}], got '{text}'.");
        }

        return value;
    }

    private static string Invariant(long value) => value.ToString(CultureInfo.InvariantCulture);
}
