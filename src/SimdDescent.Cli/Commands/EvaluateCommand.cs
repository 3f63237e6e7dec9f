using System.CommandLine;
using SimdDescent.Cli.Data;
using SimdDescent.Cli.Output;
using Spectre.Console;

namespace SimdDescent.Cli.Commands;

/// <summary><c>evaluate</c>: loss, accuracy and the confusion matrix of saved weights on a data set's test rows.</summary>
internal static class EvaluateCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var weights = CommonOptions.RequiredFile("--weights", "The weights file (safetensors) written by train --output.");
        var data = CommonOptions.DataOfWeights();
        var architecture = CommonOptions.Architecture();
        var classes = CommonOptions.ClassesOfWeights();
        var command = new Command("evaluate", "Evaluate saved weights on a data set's test rows.") { weights, data, architecture, classes };
        command.SetAction(result =>
        {
            var file = WeightsFile.Open(result.GetValue(weights)!);
            var loaded = LoadedData.Load(file.DataSet(result.GetValue(data)), file.Classes(result.GetValue(classes)));
            var (network, chosen) = file.Load(result.GetValue(architecture), loaded.Test.InputWidth);
            loaded.RequireOutputs(network.OutputWidth, chosen.Name);
            var report = ClassificationReport.Compute(network, loaded.Test);
            console.MarkupLine($"{Markup.Escape(chosen.Name)} on {Markup.Escape(loaded.Description)}");
            console.Write(report.ToTable(loaded.ClassNames));
            console.WriteLine(report.Summary);
            return 0;
        });
        return command;
    }
}
