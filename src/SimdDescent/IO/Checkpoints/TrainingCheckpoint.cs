using System.Globalization;
using System.Numerics;
using SimdDescent.IO.Safetensors;
using SimdDescent.Networks;
using SimdDescent.Training.Optimizers;

namespace SimdDescent.IO.Checkpoints;

/// <summary>
/// A full training checkpoint in one safetensors file: the parameters (under their PyTorch names and layout, as
/// <see cref="NetworkCheckpoint"/> writes them), every optimizer state arena as <c>optimizer.{state}</c>, and in
/// the metadata the optimizer's kind and step count and the <see cref="TrainingPosition"/>. The optimizer is
/// reached only through its snapshot (<see cref="Optimizer{T}.SaveState"/>, <see cref="Optimizer{T}.RestoreState"/>). Writes are atomic, so a
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
    /// <param name="metadata">Optional free-form text for the header's <c>__metadata__</c> (e.g. the run's settings), besides the keys the checkpoint itself writes.</param>
    public static void Save<T>(string path, IModel<T> network, Optimizer<T> optimizer, TrainingPosition position, IEnumerable<KeyValuePair<string, string>>? metadata = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(position);
        CheckOptimizerFits(network, optimizer);
        var state = optimizer.SaveState();
        var writer = new SafetensorsWriter();
        NetworkCheckpoint.AddParameters(writer, network);
        for (var s = 0; s < state.StateNames.Count; s++)
        {
            writer.Add(StatePrefix + state.StateNames[s], [state.States[s].Length], new ReadOnlyMemory<T>(state.States[s]));
        }

        writer.AddMetadata("format", Format)
            .AddMetadata("optimizer", state.Kind)
            .AddMetadata("optimizer_states", string.Join(",", state.StateNames))
            .AddMetadata("optimizer_step_count", Invariant(state.StepCount))
            .AddMetadata("epoch", Invariant(position.Epoch))
            .AddMetadata("steps", Invariant(position.Steps))
            .AddMetadata("shuffle_seed", Invariant(position.ShuffleSeed));
        foreach (var (key, value) in metadata ?? [])
        {
            writer.AddMetadata(key, value);
        }

        writer.Save(path);
    }

    /// <summary>
    /// Restores the network's parameters and the optimizer's state from <paramref name="path"/> and returns the
    /// position to resume at. Everything is checked before anything changes: the format, the optimizer's kind and
    /// state names, every tensor's name, dtype and shape, and that every value is finite.
    /// </summary>
    /// <exception cref="InvalidDataException">
    /// The file is malformed, is not a training checkpoint, does not match the network or the optimizer, or holds a NaN or infinity.
    /// </exception>
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

        // The optimizer's own snapshot says what the file must hold; the file's arenas then replace its copies.
        var expected = optimizer.SaveState();
        var kind = Required(file, "optimizer");
        if (kind != expected.Kind)
        {
            throw new InvalidDataException($"{file.Source} holds the state of a {kind} optimizer; this run uses {expected.Kind}.");
        }

        var states = Required(file, "optimizer_states");
        if (states != string.Join(",", expected.StateNames))
        {
            throw new InvalidDataException($"{file.Source} holds optimizer states [{states}]; this {kind} optimizer expects [{string.Join(",", expected.StateNames)}] (a different momentum setting?).");
        }

        var position = new TrainingPosition(
            (int)Number(file, "epoch", int.MaxValue), Number(file, "steps", long.MaxValue), (int)Number(file, "shuffle_seed", int.MaxValue, int.MinValue));
        var stepCount = Number(file, "optimizer_step_count", long.MaxValue);

        var dtype = SafetensorsDTypes.Of<T>();
        file.Verify(NetworkCheckpoint.ParameterSpecs(network, file)
            .Concat(expected.StateNames.Select((name, s) => new SafetensorsTensorSpec(StatePrefix + name, dtype, [expected.States[s].Length]))));

        var parameters = NetworkCheckpoint.ReadParameters(file, network);
        for (var s = 0; s < expected.States.Count; s++)
        {
            var name = StatePrefix + expected.StateNames[s];
            file.CopyTo(name, expected.States[s].AsSpan());
            FiniteTensor.Require<T>(file, name, [expected.States[s].Length], expected.States[s]);
        }

        NetworkCheckpoint.CommitParameters<T>(parameters, network);
        optimizer.RestoreState(expected with { StepCount = stepCount });
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
