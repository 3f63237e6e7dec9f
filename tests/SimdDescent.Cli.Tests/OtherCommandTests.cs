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
        Assert.Contains("test row 7 of digits, true class", row.Output, StringComparison.Ordinal);
        Assert.Contains("predicted", row.Output, StringComparison.Ordinal);

        var csv = folder.File("inputs.csv");
        File.WriteAllLines(csv, [string.Join(",", Enumerable.Repeat("0", 64)), string.Join(",", Enumerable.Range(0, 64).Select(i => (i % 7 / 7.0).ToString(CultureInfo.InvariantCulture)))]);
        var rows = CliRun.Invoke("predict", "--weights", weights, "--input", csv).Succeeded();
        Assert.Equal(2, ProbabilityRows(rows.Output).Length);
    }

    [Fact]
    public void The_predict_table_fits_80_columns_with_one_label_per_class()
    {
        using var folder = new TemporaryFolder();
        var weights = folder.File("digits.safetensors");
        CliRun.Invoke("train", "--epochs", "1", "--output", weights).Succeeded();

        var run = CliRun.InvokeAtWidth(80, "predict", "--weights", weights, "--index", "3").Succeeded();

        var lines = run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("row 0 1 2 3 4 5 6 7 8 9 predicted", lines.Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries))));
        var cells = Assert.Single(ProbabilityRows(run.Output));
        Assert.Equal(12, cells.Length);
        Assert.All(lines, l => Assert.True(l.Length <= 80, l));
    }

    /// <summary>The cells of each row of the predict table whose ten probabilities add up to one (no row split by wrapping).</summary>
    private static string[][] ProbabilityRows(string output)
    {
        var rows = output.Split('\n')
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .Where(cells => cells.Length >= 11 && int.TryParse(cells[0], CultureInfo.InvariantCulture, out _) && cells[1].Contains('.', StringComparison.Ordinal))
            .ToArray();
        foreach (var cells in rows)
        {
            var sum = cells.Skip(1).Take(10).Sum(c => double.Parse(c, CultureInfo.InvariantCulture));
            Assert.InRange(sum, 0.99, 1.01);
        }

        return rows;
    }

    [Fact]
    public void Evaluate_and_predict_use_the_data_set_the_weights_were_trained_on()
    {
        using var folder = new TemporaryFolder();
        var data = IdxFiles.WriteDigitsLike(folder.File("idx"), trainRows: 100, testRows: 17);
        var weights = folder.File("idx.safetensors");
        CliRun.Invoke("train", "--data", data, "--epochs", "1", "--output", weights).Succeeded();

        var evaluate = CliRun.Invoke("evaluate", "--weights", weights).Succeeded();
        var predict = CliRun.Invoke("predict", "--weights", weights, "--index", "16").Succeeded();
        var overridden = CliRun.Invoke("evaluate", "--weights", weights, "--data", "digits").Succeeded();

        Assert.Contains($"digits on {data}", evaluate.Output, StringComparison.Ordinal);
        Assert.Contains("(17 rows)", evaluate.Output, StringComparison.Ordinal);
        Assert.Contains($"test row 16 of {data}", predict.Output, StringComparison.Ordinal);
        Assert.Contains("(360 rows)", overridden.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Redirected_output_holds_no_ansi_codes_even_on_a_colour_terminal_type()
    {
        using var folder = new TemporaryFolder();
        var weights = folder.File("digits.safetensors");
        CliRun.Invoke("train", "--epochs", "1", "--output", weights).Succeeded();
        var environment = new Dictionary<string, string?> { ["TERM"] = "xterm-256color", ["NO_COLOR"] = null, ["COLORTERM"] = "truecolor" };

        var evaluate = CliProcess.Run(environment, "evaluate", "--weights", weights);
        var train = CliProcess.Run(environment, "train", "--epochs", "1");

        Assert.Equal(0, evaluate.ExitCode);
        Assert.Equal(0, train.ExitCode);
        Assert.Contains("confusion matrix", evaluate.Output, StringComparison.Ordinal);
        Assert.DoesNotContain('\u001b', evaluate.Output + evaluate.Error + train.Output + train.Error);
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
