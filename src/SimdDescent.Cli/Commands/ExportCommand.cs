using System.CommandLine;
using SimdDescent.Cli.Architectures;
using SimdDescent.IO.Onnx;
using SimdDescent.IO.Safetensors;
using Spectre.Console;

namespace SimdDescent.Cli.Commands;

/// <summary><c>export</c>: saved weights as an ONNX model (opset 17) that ONNX Runtime and other ONNX tools run.</summary>
internal static class ExportCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var weights = CommonOptions.RequiredFile("--weights", "The weights file (safetensors) written by train --output.");
        var onnx = CommonOptions.RequiredFile("--onnx", "The ONNX model to write (replaced if it exists).");
        var architecture = CommonOptions.Architecture();
        var command = new Command("export", "Export saved weights to an ONNX model: input 'input' [batch, features], output 'logits' [batch, classes].")
        {
            weights, onnx, architecture,
        };
        command.SetAction(result =>
        {
            var path = result.GetValue(weights)!;
            var chosen = Architecture.Named(result.GetValue(architecture) ?? RecordedArchitecture(path));
            var (network, _) = WeightsFile.Load(path, chosen.Name, chosen.Inputs);
            var output = result.GetValue(onnx)!;
            OnnxExporter.Save(network, output);
            console.WriteLine($"{chosen.Name}: {network.InputWidth} → {network.OutputWidth}, {network.ParameterCount} parameters written to {output}");
            return 0;
        });
        return command;
    }

    /// <summary>The architecture train recorded in the file's metadata; without it the file does not say what it holds.</summary>
    private static string RecordedArchitecture(string path)
    {
        if (!File.Exists(path))
        {
            throw new UserError($"Weights file '{path}' does not exist.");
        }

        using var file = SafetensorsFile.Open(path);
        return file.Metadata.TryGetValue("architecture", out var name)
            ? name
            : throw new UserError($"'{path}' records no architecture; name it with --arch ({string.Join(", ", Architecture.Names)}).");
    }
}
