using System.CommandLine;
using SimdDescent.Cli.Commands;
using SimdDescent.Training;
using Spectre.Console;

namespace SimdDescent.Cli;

/// <summary>The command line: builds the commands and turns user errors into a message and exit code 1.</summary>
internal static class CliApp
{
    public static int Run(string[] args, IAnsiConsole console, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("SimdDescent: train, evaluate and inspect small neural networks on SIMD kernels.")
        {
            TrainCommand.Create(console),
            EvaluateCommand.Create(console),
            PredictCommand.Create(console),
            GradCheckCommand.Create(console),
            LrSearchCommand.Create(console),
        };
        try
        {
            return root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (GradientCheckFailedException e)
        {
            error.WriteLine($"error: {e.Message}");
            return 2;
        }
        catch (Exception e) when (e is UserError or ArgumentException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {e.Message}");
            return 1;
        }
    }
}
