using System.Numerics;
using System.Runtime.InteropServices;
using SimdDescent.IO.Safetensors;
using SimdDescent.Networks;

namespace SimdDescent.IO.Checkpoints;

/// <summary>
/// Saves a network's parameters as a safetensors file that PyTorch's <c>load_state_dict</c> accepts for the
/// equivalent <c>nn.Sequential</c> (tensor names <c>0.weight</c>, <c>0.bias</c>, <c>2.weight</c>…, dense
/// weights as <c>[out, in]</c>) or the language model's nanoGPT <c>GPT</c>, and loads such a file back after
/// checking every name, dtype and shape. A tied tensor (<see cref="TensorInfo.TiedPyTorchName"/>) is written
/// under both names, as PyTorch's state_dict holds it. A model's running statistics (<see cref="IModelStatistics{T}"/>)
/// are saved with the parameters, in the element type of the parameters (PyTorch's <c>load_state_dict</c>
/// converts <c>num_batches_tracked</c> to its integer type), and loaded from that type or, for
/// <c>num_batches_tracked</c>, from the I64 PyTorch itself writes.
/// </summary>
public static class NetworkCheckpoint
{
    /// <summary>
    /// Writes every parameter tensor to <paramref name="path"/>, atomically: an existing file is replaced
    /// only once the new one is complete on disk.
    /// </summary>
    /// <param name="network">The network to save.</param>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="metadata">Optional free-form text stored in the header's <c>__metadata__</c>.</param>
    public static void Save<T>(IModel<T> network, string path, IEnumerable<KeyValuePair<string, string>>? metadata = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        var writer = new SafetensorsWriter();
        AddParameters(writer, network);
        foreach (var (key, value) in metadata ?? [])
        {
            writer.AddMetadata(key, value);
        }

        writer.Save(path);
    }

    /// <summary>
    /// Replaces the network's parameters with those stored in <paramref name="path"/>. The file must hold
    /// exactly the network's tensors, under their PyTorch names, in its element type and PyTorch's shapes, all
    /// values finite; otherwise nothing is changed.
    /// </summary>
    /// <returns>The file's metadata.</returns>
    /// <exception cref="InvalidDataException">
    /// The file is malformed, does not match the network (the message lists every difference), or holds a NaN or
    /// infinity (the message names the tensor and the element).
    /// </exception>
    public static IReadOnlyDictionary<string, string> Load<T>(IModel<T> network, string path)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        using var file = SafetensorsFile.Open(path);
        file.Verify(ParameterSpecs(network, file));
        CommitParameters(ReadParameters(file, network), network);
        return file.Metadata;
    }

    /// <summary>
    /// Like <see cref="Load{T}(IModel{T}, string)"/>, but leaves the tensors named in <paramref name="skipped"/> (PyTorch
    /// names) as they are: the file may hold them in any dtype and shape, or not at all. This loads a pretrained
    /// model under a new head of another width.
    /// </summary>
    /// <returns>The file's metadata.</returns>
    /// <exception cref="ArgumentException">A skipped name is not one of the network's tensors.</exception>
    /// <exception cref="InvalidDataException">The file is malformed or does not match the network's other tensors.</exception>
    public static IReadOnlyDictionary<string, string> Load<T>(IModel<T> network, string path, IReadOnlyCollection<string> skipped)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(skipped);
        var names = network.Tensors.Select(PyTorchLayout.Name).ToHashSet(StringComparer.Ordinal);
        if (skipped.FirstOrDefault(n => !names.Contains(n)) is { } unknown)
        {
            throw new ArgumentException($"'{unknown}' is not a tensor of the network; its tensors are: {string.Join(", ", names)}.", nameof(skipped));
        }

        var kept = new TensorSubset<T>(network, [.. network.Tensors.Where(t => !skipped.Contains(PyTorchLayout.Name(t)))]);
        using var file = SafetensorsFile.Open(path);
        var specs = ParameterSpecs(kept, file).ToList();
        file.Verify(specs.Concat(file.Tensors.Where(t => skipped.Contains(t.Name)).Select(t => new SafetensorsTensorSpec(t.Name, t.DType, t.Shape.ToArray()))));
        CommitParameters(ReadParameters(file, kept), kept);
        return file.Metadata;
    }

    internal static void AddParameters<T>(SafetensorsWriter writer, IModel<T> network)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        foreach (var (tensor, arena) in Stored(network))
        {
            // The writer holds memory, not spans, and PyTorch's layout differs from the arena's: one copy per tensor.
            var data = new T[tensor.Length];
            PyTorchLayout.Export<T>(arena, tensor, data);
            writer.Add(PyTorchLayout.Name(tensor), PyTorchLayout.Shape(tensor), new ReadOnlyMemory<T>(data));
            if (tensor.TiedPyTorchName is { } tied)
            {
                writer.Add(tied, PyTorchLayout.Shape(tensor), new ReadOnlyMemory<T>(data));
            }
        }
    }

    /// <summary>A tied copy in the file must equal its tensor bitwise: one arena slice cannot hold two values.</summary>
    private static void CheckTiedCopies<T>(SafetensorsFile file, IModel<T> network, ReadOnlySpan<T> staged)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        foreach (var tensor in network.Tensors)
        {
            if (tensor.TiedPyTorchName is not { } name || !file.TryGetTensor(name, out _))
            {
                continue;
            }

            var copy = new T[tensor.Length];
            var expected = new T[tensor.Length];
            file.CopyTo(name, copy);
            PyTorchLayout.Export(staged, tensor, expected);
            if (!MemoryMarshal.AsBytes(copy.AsSpan()).SequenceEqual(MemoryMarshal.AsBytes(expected.AsSpan())))
            {
                throw new InvalidDataException(
                    $"'{file.Source}' holds '{name}' and '{PyTorchLayout.Name(tensor)}' with different values, but the model ties them; save them equal or leave '{name}' out.");
            }
        }
    }

    /// <summary>Every tensor the file must hold, and the tied copies it holds (each with its tensor's dtype and shape).</summary>
    internal static IEnumerable<SafetensorsTensorSpec> ParameterSpecs<T>(IModel<T> network, SafetensorsFile file)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        network.Tensors.Concat(StatisticTensors(network)).Select(t => new SafetensorsTensorSpec(PyTorchLayout.Name(t), StoredAsInteger(file, t) ? SafetensorsDType.I64 : SafetensorsDTypes.Of<T>(), PyTorchLayout.Shape(t)))
            .Concat(network.Tensors
                .Where(t => t.TiedPyTorchName is { } name && file.TryGetTensor(name, out _))
                .Select(t => new SafetensorsTensorSpec(t.TiedPyTorchName!, SafetensorsDTypes.Of<T>(), PyTorchLayout.Shape(t))));

    /// <summary>
    /// Reads every parameter into a new arena, so that a read failing halfway leaves the network as it was, and
    /// checks that each tied copy in the file equals its tensor.
    /// </summary>
    /// <remarks>The running statistics, if any, are staged after the parameters.</remarks>
    internal static T[] ReadParameters<T>(SafetensorsFile file, IModel<T> network)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var statistics = network is IModelStatistics<T> s ? s.Statistics.Length : 0;
        var staged = new T[network.ParameterCount + statistics];
        var all = network.Tensors.Concat(StatisticTensors(network)).ToArray();
        var tensorData = new T[all.Length == 0 ? 0 : all.Max(t => t.Length)];
        foreach (var (tensor, isStatistic) in all.Select((t, i) => (t, i >= network.Tensors.Count)))
        {
            var data = tensorData.AsSpan(0, tensor.Length);
            var name = PyTorchLayout.Name(tensor);
            if (StoredAsInteger(file, tensor))
            {
                file.CopyIntegersTo(name, data);
            }
            else
            {
                file.CopyTo(name, data);
            }

            FiniteTensor.Require<T>(file, name, PyTorchLayout.Shape(tensor), data);
            PyTorchLayout.Import<T>(data, tensor, isStatistic ? staged.AsSpan(network.ParameterCount) : staged);
        }

        CheckTiedCopies(file, network, staged);
        return staged;
    }

    /// <summary>Whether the file holds this tensor as the I64 PyTorch writes a count in; any other tensor must be floating-point.</summary>
    private static bool StoredAsInteger(SafetensorsFile file, TensorInfo tensor) =>
        PyTorchLayout.IsCount(tensor) && file.TryGetTensor(PyTorchLayout.Name(tensor), out var stored) && stored.DType == SafetensorsDType.I64;

    internal static void CommitParameters<T>(ReadOnlySpan<T> staged, IModel<T> network)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        foreach (var tensor in network.Tensors)
        {
            staged.Slice(tensor.Offset, tensor.Length).CopyTo(network.Parameters.Slice(tensor.Offset, tensor.Length));
        }

        if (network is IModelStatistics<T> statistics)
        {
            staged[network.ParameterCount..].CopyTo(statistics.Statistics);
        }
    }

    private static IReadOnlyList<TensorInfo> StatisticTensors<T>(IModel<T> network)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        network is IModelStatistics<T> statistics ? statistics.StatisticTensors : [];

    /// <summary>Every tensor a file holds with the arena it lives in: the parameters, then the running statistics.</summary>
    private static IEnumerable<(TensorInfo Tensor, T[] Arena)> Stored<T>(IModel<T> network)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var parameters = network.Parameters.ToArray();
        foreach (var tensor in network.Tensors)
        {
            yield return (tensor, parameters);
        }

        if (network is IModelStatistics<T> statistics)
        {
            var values = statistics.Statistics.ToArray();
            foreach (var tensor in statistics.StatisticTensors)
            {
                yield return (tensor, values);
            }
        }
    }

    /// <summary>A model seen through some of its tensors: the same arenas, fewer names to load.</summary>
    private sealed class TensorSubset<T>(IModel<T> model, IReadOnlyList<TensorInfo> tensors) : IModel<T>, IModelStatistics<T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        public int ParameterCount => model.ParameterCount;

        public IReadOnlyList<TensorInfo> Tensors => tensors;

        public Span<T> Parameters => model.Parameters;

        public IReadOnlyList<TensorInfo> StatisticTensors => model is IModelStatistics<T> s ? s.StatisticTensors : [];

        public Span<T> Statistics => model is IModelStatistics<T> s ? s.Statistics : [];

        public void Initialize(ulong seed) => model.Initialize(seed);
    }
}
