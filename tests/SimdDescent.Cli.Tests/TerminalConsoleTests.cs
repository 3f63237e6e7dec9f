using System.Globalization;
using SimdDescent.Cli.Output;
using Spectre.Console;

namespace SimdDescent.Cli.Tests;

public sealed class TerminalConsoleTests
{
    [Theory]
    [InlineData(true, "xterm-256color", null)]
    [InlineData(false, "dumb", null)]
    public void Redirected_output_or_a_dumb_terminal_gets_plain_text_without_live_progress(bool redirected, string term, string? noColor)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        var console = TerminalConsole.Create(output, redirected, term, noColor);

        console.MarkupLine("[red bold]plain[/]");

        Assert.False(console.Profile.Capabilities.Ansi);
        Assert.False(console.Profile.Capabilities.Interactive);
        Assert.Equal("plain" + Environment.NewLine, output.ToString());
    }

    [Fact]
    public void No_color_turns_the_colours_off()
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);

        var console = TerminalConsole.Create(output, outputRedirected: false, "xterm-256color", noColor: "1");

        Assert.Equal(ColorSystem.NoColors, console.Profile.Capabilities.ColorSystem);
    }
}
