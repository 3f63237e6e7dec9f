using Spectre.Console;

namespace SimdDescent.Cli.Output;

/// <summary>The console the commands write to: colours, cursor codes and live progress only where a terminal shows them.</summary>
internal static class TerminalConsole
{
    /// <summary>
    /// Plain text (no ANSI codes, no live progress) when standard output is redirected or <c>TERM=dumb</c>: Spectre
    /// decides from <c>TERM</c> alone and would write escape codes into files and pipes. <c>NO_COLOR</c> (any
    /// non-empty value, see no-color.org) turns colours off and keeps the progress bars.
    /// </summary>
    public static IAnsiConsole Create(TextWriter output, bool outputRedirected, string? term, string? noColor)
    {
        var plain = outputRedirected || term == "dumb";
        return AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = plain ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = plain || !string.IsNullOrEmpty(noColor) ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = plain ? InteractionSupport.No : InteractionSupport.Detect,
            Out = new AnsiConsoleOutput(output),
        });
    }
}
