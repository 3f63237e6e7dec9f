using System.Globalization;
using System.Text.RegularExpressions;
using Spectre.Console;

namespace SimdDescent.Cli.Tests;

/// <summary>Runs the command line in-process with captured, uncoloured output.</summary>
internal sealed partial record CliRun(int ExitCode, string Output, string Error)
{
    public static CliRun Invoke(params string[] args)
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
        console.Profile.Width = 240;
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

    public CliRun Succeeded()
    {
        Assert.True(ExitCode == 0, $"exit code {ExitCode}:{Environment.NewLine}{Output}{Error}");
        return this;
    }

    [GeneratedRegex(@"test accuracy: ([0-9.]+)")]
    private static partial Regex AccuracyLine();
}
