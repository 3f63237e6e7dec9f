namespace SimdDescent.Cli.Tests;

public sealed class BadInputTests
{
    [Theory]
    [InlineData(new[] { "train", "--epochs", "0" }, "Expected --epochs > 0, got 0")]
    [InlineData(new[] { "train", "--batch-size", "-3" }, "Expected --batch-size > 0, got -3")]
    [InlineData(new[] { "train", "--batch-size", "1000" }, "BatchSize in [1, MaxBatch × Shards] = [1, 256], got 1000")]
    [InlineData(new[] { "train", "--data", "no-such-data" }, "Unknown data set 'no-such-data'")]
    [InlineData(new[] { "train", "--arch", "mlp128" }, "Architecture 'mlp128' takes 784 inputs, but the data has 64 features")]
    [InlineData(new[] { "train", "--optimizer", "lion" }, "lion")]
    [InlineData(new[] { "train", "--epochs", "many" }, "many")]
    [InlineData(new[] { "train", "--frobnicate" }, "--frobnicate")]
    [InlineData(new[] { "launch" }, "launch")]
    [InlineData(new[] { "evaluate" }, "--weights")]
    [InlineData(new[] { "evaluate", "--weights", "/nonexistent/w.safetensors" }, "Weights file '/nonexistent/w.safetensors' does not exist")]
    [InlineData(new[] { "train", "--resume", "/nonexistent/run.ckpt" }, "/nonexistent/run.ckpt")]
    [InlineData(new[] { "gradcheck", "--batch", "0" }, "Expected --batch in [1, 256], got 0")]
    [InlineData(new[] { "train", "--cycle-momentum" }, "--cycle-momentum expects --schedule onecycle, got 'constant'")]
    [InlineData(new[] { "train", "--optimizer", "adagrad", "--schedule", "onecycle", "--cycle-momentum" }, "Adagrad has no momentum")]
    public void A_bad_argument_exits_non_zero_with_a_message_and_no_stack_trace(string[] args, string message)
    {
        var run = CliRun.Invoke(args);

        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_weights_files_are_rejected_clearly()
    {
        using var folder = new TemporaryFolder();
        var garbage = folder.File("garbage.safetensors");
        File.WriteAllBytes(garbage, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 1, 2, 3]);
        var huge = CliRun.Invoke("evaluate", "--weights", garbage);
        Assert.Equal(1, huge.ExitCode);
        Assert.StartsWith("error: ", huge.Error, StringComparison.Ordinal);

        var empty = folder.File("empty.safetensors");
        File.WriteAllBytes(empty, []);
        Assert.Equal(1, CliRun.Invoke("evaluate", "--weights", empty).ExitCode);

        // Weights of the digits network do not fit the 784-input networks.
        var digits = folder.File("digits.safetensors");
        CliRun.Invoke("train", "--epochs", "1", "--output", digits).Succeeded();
        var mismatch = CliRun.Invoke("evaluate", "--weights", digits, "--arch", "seed", "--data", "digits");
        Assert.Equal(1, mismatch.ExitCode);
        Assert.Contains("takes 784 inputs", mismatch.Error, StringComparison.Ordinal);

        // A weights file is not a checkpoint to resume from.
        var resume = CliRun.Invoke("train", "--epochs", "2", "--resume", digits);
        Assert.Equal(1, resume.ExitCode);
        Assert.Contains("is not a training checkpoint", resume.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_csv_row_is_named_by_line()
    {
        using var folder = new TemporaryFolder();
        var weights = folder.File("digits.safetensors");
        CliRun.Invoke("train", "--epochs", "1", "--output", weights).Succeeded();
        var csv = folder.File("bad.csv");
        File.WriteAllLines(csv, ["0,1,2", "0,x,2"]);

        var run = CliRun.Invoke("predict", "--weights", weights, "--input", csv);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("bad.csv:2: 'x' is not a finite number", run.Error, StringComparison.Ordinal);
    }
}
