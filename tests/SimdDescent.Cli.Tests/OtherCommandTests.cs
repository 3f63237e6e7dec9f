using System.Globalization;

namespace SimdDescent.Cli.Tests;

public sealed class OtherCommandTests
{
    [Fact]
    public void Predict_prints_probabilities_for_a_test_row_and_for_csv_rows()
    {
        using var folder = new TemporaryFolder();
        var weights = folder.File("digits.safetensors");
        CliRun.Invoke("train", "--epochs", "3", "--output", weights).Succeeded();

        var row = CliRun.Invoke("predict", "--weights", weights, "--index", "7").Succeeded();
        Assert.Contains("test row 7, true class", row.Output, StringComparison.Ordinal);
        Assert.Contains("predicted", row.Output, StringComparison.Ordinal);

        var csv = folder.File("inputs.csv");
        File.WriteAllLines(csv, [string.Join(",", Enumerable.Repeat("0", 64)), string.Join(",", Enumerable.Range(0, 64).Select(i => (i % 7 / 7.0).ToString(CultureInfo.InvariantCulture)))]);
        var rows = CliRun.Invoke("predict", "--weights", weights, "--input", csv).Succeeded();
        var probabilityRows = rows.Output.Split('\n').Where(l => l.TrimStart().StartsWith("│ 0 ", StringComparison.Ordinal) || l.TrimStart().StartsWith("│ 1 ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, probabilityRows.Length);
        foreach (var line in probabilityRows)
        {
            var cells = line.Split('│', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var sum = cells.Skip(1).Take(10).Sum(c => double.Parse(c, CultureInfo.InvariantCulture));
            Assert.InRange(sum, 0.995, 1.005);
        }
    }

    [Fact]
    public void Gradcheck_prints_a_passing_report_for_every_tensor()
    {
        var run = CliRun.Invoke("gradcheck", "--arch", "digits").Succeeded();

        Assert.Contains("layer0.weight", run.Output, StringComparison.Ordinal);
        Assert.Contains("layer1.bias", run.Output, StringComparison.Ordinal);
        Assert.Contains("gradient check passed", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Lr_search_prints_the_trial_table_and_the_range_test()
    {
        var grid = CliRun.Invoke("lr-search", "--lrs", "0.01", "0.1", "--epochs", "1").Succeeded();
        Assert.Contains("learning rate", grid.Output, StringComparison.Ordinal);
        Assert.Contains("best: learning rate", grid.Output, StringComparison.Ordinal);

        var random = CliRun.Invoke("lr-search", "--mode", "random", "--trials", "2", "--epochs", "1").Succeeded();
        Assert.Contains("best: learning rate", random.Output, StringComparison.Ordinal);

        var range = CliRun.Invoke("lr-search", "--mode", "range", "--steps", "30").Succeeded();
        Assert.Contains("suggested learning rate", range.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData]
    [InlineData("train")]
    [InlineData("evaluate")]
    [InlineData("predict")]
    [InlineData("gradcheck")]
    [InlineData("lr-search")]
    public void Help_is_available_everywhere(params string[] command)
    {
        var run = CliRun.Invoke([.. command, "--help"]).Succeeded();

        Assert.Contains("Usage:", run.Output, StringComparison.Ordinal);
    }
}
