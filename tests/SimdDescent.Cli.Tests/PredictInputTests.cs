namespace SimdDescent.Cli.Tests;

/// <summary>predict reads no more input than a network can use: rows as wide as the widest input, a table's worth of them.</summary>
public sealed class PredictInputTests
{
    [Fact]
    public void An_endless_file_without_line_breaks_ends_in_one_error_line()
    {
        Assert.SkipUnless(File.Exists("/dev/zero"), "needs /dev/zero");
        using var folder = new TemporaryFolder();
        var weights = folder.File("digits.safetensors");
        CliRun.Invoke("train", "--epochs", "1", "--output", weights).Succeeded();
        var before = GC.GetAllocatedBytesForCurrentThread();

        var run = CliRun.Invoke("predict", "--weights", weights, "--input", "/dev/zero");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: '/dev/zero' line 1 is longer than 25088 characters, the most a line may hold (CsvOptions.MaxLineLength); expected lines of delimited numbers.", run.Error.TrimEnd());
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 << 20);
    }

    [Fact]
    public void More_rows_than_a_table_can_show_are_rejected()
    {
        using var folder = new TemporaryFolder();
        var weights = folder.File("digits.safetensors");
        CliRun.Invoke("train", "--epochs", "1", "--output", weights).Succeeded();
        var csv = folder.File("many.csv");
        File.WriteAllLines(csv, Enumerable.Repeat(string.Join(",", Enumerable.Repeat("0", 64)), 10_001));

        var run = CliRun.Invoke("predict", "--weights", weights, "--input", csv);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("holds more than 10000 rows", run.Error, StringComparison.Ordinal);
    }
}
