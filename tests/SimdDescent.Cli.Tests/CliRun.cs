using System.Globalization;
using System.Text.RegularExpressions;
using Spectre.Console;

namespace SimdDescent.Cli.Tests;

/// <summary>Runs the command line in-process with captured, uncoloured output.</summary>
internal sealed partial record CliRun(int ExitCode, string Output, string Error)
{
    public static CliRun Invoke(params string[] args) => InvokeAtWidth(240, args);

    /// <summary>Runs with a console <paramref name="width"/> columns wide (80: a standard terminal).</summary>
    public static CliRun InvokeAtWidth(int width, params string[] args)
    {
        var output = new StringWriter(CultureInfo.InvariantCulture);
        var error = new StringWriter(CultureInfo.InvariantCulture);
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
            Out = new AnsiConsoleOutput(output),
        });
        console.Profile.Width = width;
        var code = CliApp.Run(args, console, output, error);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    /// <summary>The accuracy on the "test accuracy:" line that train and evaluate print.</summary>
    public double TestAccuracy
    {
        get
        {
            var match = AccuracyLine().Match(Output);
            Assert.True(match.Success, $"no 'test accuracy:' line in:{Environment.NewLine}{Output}{Error}");
            return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        }
    }

    /// <summary>Asserts the failure contract: exit code 1 and exactly one line on stderr, an <c>error:</c> line.</summary>
    public CliRun FailedWithOneErrorLine()
    {
        Assert.True(ExitCode == 1, $"exit code {ExitCode}:{Environment.NewLine}{Output}{Error}");
        var lines = Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length == 1 && lines[0].StartsWith("error: ", StringComparison.Ordinal), $"expected one error: line, got:{Environment.NewLine}{Error}");
        return this;
    }

    /// <summary>Trains the digits network for one epoch and returns the weights file it wrote in <paramref name="folder"/>.</summary>
    public static string TrainedDigitsWeights(TemporaryFolder folder)
    {
        var weights = folder.File("digits.safetensors");
        Invoke("train", "--epochs", "1", "--output", weights).Succeeded();
        return weights;
    }

    public CliRun Succeeded()
    {
        Assert.True(ExitCode == 0, $"exit code {ExitCode}:{Environment.NewLine}{Output}{Error}");
        return this;
    }

    [GeneratedRegex(@"test accuracy: ([0-9.]+)")]
    private static partial Regex AccuracyLine();
}
