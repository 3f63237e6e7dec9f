using System.CommandLine;
using SimdDescent.Cli.Commands;
using SimdDescent.Training;
using SimdDescent.Training.Guards;
using Spectre.Console;

namespace SimdDescent.Cli;

/// <summary>
/// The command line: builds the commands and ends every failure with exactly one <c>error:</c> line on the error
/// writer and exit code 1 (2 for a failed gradient check, whose report comes first), never a stack trace.
/// </summary>
internal static class CliApp
{
    public const string Name = "simddescent-cli";

    public static int Run(string[] args, IAnsiConsole console, TextWriter output, TextWriter error)
    {
        var root = new RootCommand("SimdDescent: train, evaluate and inspect small neural networks and byte-level language models on SIMD kernels.")
        {
            TrainCommand.Create(console),
            EvaluateCommand.Create(console),
            PredictCommand.Create(console),
            GradCheckCommand.Create(console),
            LrSearchCommand.Create(console),
            ExportCommand.Create(console),
            TrainLmCommand.Create(console),
            FinetuneCommand.Create(console),
            GenerateCommand.Create(console, output),
        };
        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            var command = string.Join(' ', parsed.CommandResult.Command == root ? [Name] : [Name, parsed.CommandResult.Command.Name]);
            error.WriteLine($"error: {OneLine(string.Join(" ", parsed.Errors.Select(e => e.Message)))} (see '{command} --help')");
            return 1;
        }

        try
        {
            return parsed.Invoke(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false });
        }
        catch (GradientCheckFailedException e)
        {
            error.Write(e.Report);
            error.WriteLine($"error: the gradient check{(e.Step > 0 ? $" before step {e.Step}" : string.Empty)} failed (report above).");
            return 2;
        }
        catch (NonFiniteValueException e)
        {
            error.WriteLine($"error: training diverged: {OneLine(e.Message)} Files already written are kept; try a lower --lr.");
            return 1;
        }
        catch (Exception e) when (e is UserError or ArgumentException or InvalidDataException or IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: {Describe(e)}");
            return 1;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Not a known kind of bad input: still one line, with the type so that it can be reported.
            error.WriteLine($"error: unexpected {e.GetType().Name}: {Describe(e)}");
            return 1;
        }
    }

    /// <summary>The message on one line, without the " (Parameter 'name')" that ArgumentException appends for code, not for users.</summary>
    private static string Describe(Exception e) =>
        OneLine(e is ArgumentException { ParamName: { } name } ? e.Message.Replace($" (Parameter '{name}')", string.Empty, StringComparison.Ordinal) : e.Message);

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
