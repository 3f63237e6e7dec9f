using System.Numerics;
using SimdDescent.IO.Safetensors;
using SimdDescent.Networks;

namespace SimdDescent.IO.Checkpoints;

/// <summary>
/// Saves a network's parameters as a safetensors file, one tensor per entry of <see cref="INetwork{T}.Tensors"/>
/// under its name and shape, and loads them back after checking that the file holds exactly those tensors.
/// </summary>
public static class NetworkCheckpoint
{
    /// <summary>
    /// Writes every parameter tensor to <paramref name="path"/>, atomically: an existing checkpoint is replaced
    /// only once the new one is complete on disk.
    /// </summary>
    /// <param name="network">The network to save.</param>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="metadata">Optional free-form text stored in the header's <c>__metadata__</c>.</param>
    public static void Save<T>(INetwork<T> network, string path, IEnumerable<KeyValuePair<string, string>>? metadata = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        // The network exposes its arena as a span, which the writer cannot hold; one copy of the parameters lets it.
        var parameters = network.Parameters.ToArray();
        var writer = new SafetensorsWriter();
        foreach (var tensor in network.Tensors)
        {
            writer.Add(tensor.Name, tensor.Shape.AsSpan(), new ReadOnlyMemory<T>(parameters, tensor.Offset, tensor.Length));
        }

        foreach (var (key, value) in metadata ?? [])
        {
            writer.AddMetadata(key, value);
        }

        writer.Save(path);
    }

    /// <summary>
    /// Replaces the network's parameters with those stored in <paramref name="path"/>. The file must hold
    /// exactly the network's tensors, with its element type and shapes; otherwise nothing is changed.
    /// </summary>
    /// <returns>The file's metadata.</returns>
    /// <exception cref="InvalidDataException">The file is malformed or does not match the network; the message lists every difference.</exception>
    public static IReadOnlyDictionary<string, string> Load<T>(INetwork<T> network, string path)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentNullException.ThrowIfNull(network);
        using var file = SafetensorsFile.Open(path);
        var dtype = SafetensorsDTypes.Of<T>();
        file.Verify(network.Tensors.Select(t => new SafetensorsTensorSpec(t.Name, dtype, [.. t.Shape])));

        // Staged so that a read failing halfway leaves the network as it was.
        var staged = new T[network.ParameterCount];
        foreach (var tensor in network.Tensors)
        {
            file.CopyTo(tensor.Name, staged.AsSpan(tensor.Offset, tensor.Length));
        }

        foreach (var tensor in network.Tensors)
        {
            staged.AsSpan(tensor.Offset, tensor.Length).CopyTo(network.Parameters.Slice(tensor.Offset, tensor.Length));
        }

        return file.Metadata;
    }
}
