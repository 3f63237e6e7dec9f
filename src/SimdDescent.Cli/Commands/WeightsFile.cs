using SimdDescent.Cli.Architectures;
using SimdDescent.IO.Checkpoints;
using SimdDescent.IO.Safetensors;
using SimdDescent.Networks;

namespace SimdDescent.Cli.Commands;

/// <summary>Builds the network a weights file was saved from and loads the weights into it.</summary>
internal static class WeightsFile
{
    public static (INetwork<float> Network, Architecture Architecture) Load(string path, string? requestedArchitecture, int inputs)
    {
        if (!File.Exists(path))
        {
            throw new UserError($"Weights file '{path}' does not exist.");
        }

        IReadOnlyDictionary<string, string> metadata;
        using (var file = SafetensorsFile.Open(path))
        {
            metadata = file.Metadata;
        }

        var architecture = CommonOptions.ResolveArchitecture(requestedArchitecture, metadata, inputs);
        var network = architecture.Create();
        NetworkCheckpoint.Load(network, path);
        return (network, architecture);
    }
}
