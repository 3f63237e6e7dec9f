using System.CommandLine;
using SimdDescent.Cli.Architectures;
using SimdDescent.IO.Checkpoints;
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
        var command = new Command(
            "export",
            "Export saved weights to an ONNX model: input 'input' [batch, features] ([batch, channels, height, width] for cnn), output 'logits' [batch, classes]; "
            + "for a train-lm file, input 'tokens' int64 [batch, time], output 'logits' [batch, time, vocabulary].")
        {
            weights, onnx, architecture,
        };
        command.SetAction(result =>
        {
            var file = WeightsFile.Open(result.GetValue(weights)!);
            if (result.GetValue(architecture) is null && RecordedLanguageModel(file) is { } languageModel)
            {
                return ExportLanguageModel(console, languageModel, file.Path, result.GetValue(onnx)!);
            }

            var chosen = Architecture.Named(result.GetValue(architecture) ?? RecordedArchitecture(file));
            var (network, _) = file.Load(chosen.Name, chosen.Inputs);
            var output = result.GetValue(onnx)!;
            OnnxExporter.Save(network, output);
            console.WriteLine($"{chosen.Name}: {network.InputWidth} → {network.OutputWidth}, {network.ParameterCount} parameters written to {output}");
            return 0;
        });
        return command;
    }

    /// <summary>The built-in language model train-lm or finetune recorded in the file's metadata, if any.</summary>
    private static LanguageModelArchitecture? RecordedLanguageModel(WeightsFile file) =>
        file.Metadata.TryGetValue("architecture", out var name) ? LanguageModelArchitecture.All.FirstOrDefault(a => a.Name == name) : null;

    private static int ExportLanguageModel(IAnsiConsole console, LanguageModelArchitecture architecture, string weights, string output)
    {
        var model = architecture.Create();
        NetworkCheckpoint.Load(model, weights);
        LanguageModelOnnxExporter.Save(model, architecture.Heads, output);
        console.WriteLine($"{architecture.Name}: tokens [batch, time ≤ {model.Context}] → logits [batch, time, {model.Vocabulary}], {model.ParameterCount} parameters written to {output}");
        return 0;
    }

    /// <summary>The architecture train recorded in the file's metadata; without it the file does not say what it holds.</summary>
    private static string RecordedArchitecture(WeightsFile file) =>
        file.Metadata.TryGetValue("architecture", out var name)
            ? name
            : throw new UserError($"'{file.Path}' records no architecture; name it with --arch ({string.Join(", ", Architecture.Names)}).");
}
