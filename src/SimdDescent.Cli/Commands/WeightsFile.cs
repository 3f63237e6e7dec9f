using SimdDescent.Cli.Architectures;
using SimdDescent.IO.Checkpoints;
using SimdDescent.IO.Safetensors;
using SimdDescent.Networks;

namespace SimdDescent.Cli.Commands;

/// <summary>A weights file written by <c>train --output</c>: its metadata (architecture, data set) and the network it loads into.</summary>
internal sealed class WeightsFile
{
    private WeightsFile(string path, IReadOnlyDictionary<string, string> metadata)
    {
        Path = path;
        Metadata = metadata;
    }

    public string Path { get; }

    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Reads the header's metadata; the tensors are read by <see cref="Load"/>.</summary>
    public static WeightsFile Open(string path)
    {
        if (!File.Exists(path))
        {
            throw new UserError($"Weights file '{path}' does not exist.");
        }

        using var file = SafetensorsFile.Open(path);
        return new WeightsFile(path, file.Metadata);
    }

    /// <summary>The data set asked for, else the one the weights were trained on, else the embedded digits.</summary>
    public string DataSet(string? requested) => requested ?? (Metadata.TryGetValue("data", out var recorded) ? recorded : "digits");

    /// <summary>The classes asked for, else the ones the weights were trained on (null: all).</summary>
    public string? Classes(string? requested) => requested ?? (Metadata.TryGetValue("classes", out var recorded) ? recorded : null);

    /// <summary>Builds the architecture asked for (else the recorded one, else the default for the inputs) and loads the weights into it.</summary>
    public (INetwork<float> Network, Architecture Architecture) Load(string? requestedArchitecture, int inputs)
    {
        var architecture = CommonOptions.ResolveArchitecture(requestedArchitecture, Metadata, inputs);
        var network = architecture.Create();
        NetworkCheckpoint.Load(network, Path);
        return (network, architecture);
    }
}
