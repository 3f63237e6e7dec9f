using System.CommandLine;
using SimdDescent.Cli.Architectures;
using SimdDescent.IO.Onnx;
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
        var command = new Command("export", "Export saved weights to an ONNX model: input 'input' [batch, features] ([batch, channels, height, width] for cnn), output 'logits' [batch, classes].")
        {
            weights, onnx, architecture,
        };
        command.SetAction(result =>
        {
            var file = WeightsFile.Open(result.GetValue(weights)!);
            var chosen = Architecture.Named(result.GetValue(architecture) ?? RecordedArchitecture(file));
            var (network, _) = file.Load(chosen.Name, chosen.Inputs);
            var output = result.GetValue(onnx)!;
            OnnxExporter.Save(network, output);
            console.WriteLine($"{chosen.Name}: {network.InputWidth} → {network.OutputWidth}, {network.ParameterCount} parameters written to {output}");
            return 0;
        });
        return command;
    }

    /// <summary>The architecture train recorded in the file's metadata; without it the file does not say what it holds.</summary>
    private static string RecordedArchitecture(WeightsFile file) =>
        file.Metadata.TryGetValue("architecture", out var name)
            ? name
            : throw new UserError($"'{file.Path}' records no architecture; name it with --arch ({string.Join(", ", Architecture.Names)}).");
}
