namespace SimdDescent.Cli.Tests;

public sealed class BadInputTests
{
    [Theory]
    [InlineData(new[] { "train", "--epochs", "0" }, "Expected --epochs > 0, got 0")]
    [InlineData(new[] { "train", "--batch-size", "-3" }, "Expected --batch-size > 0, got -3")]
    [InlineData(new[] { "train", "--batch-size", "1000", "--shards", "1" }, "Expected --batch-size in [1, 256] (256 rows per shard × 1 shard(s)), got 1000")]
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
    [InlineData(new[] { "train", "--momentum", "5" }, "Expected --momentum in [0, 1), got 5.")]
    [InlineData(new[] { "train", "--momentum", "-0.1" }, "Expected --momentum in [0, 1), got -0.1.")]
    [InlineData(new[] { "train", "--lr", "0" }, "Expected --lr > 0 and finite, got 0.")]
    [InlineData(new[] { "train", "--lr", "NaN" }, "Expected --lr > 0 and finite, got NaN.")]
    [InlineData(new[] { "train", "--weight-decay", "-1" }, "Expected --weight-decay ≥ 0 and finite, got -1.")]
    [InlineData(new[] { "train", "--schedule", "step", "--gamma", "2" }, "Expected --gamma in (0, 1], got 2.")]
    [InlineData(new[] { "train", "--schedule", "step", "--step-size", "0" }, "Expected --step-size > 0, got 0.")]
    [InlineData(new[] { "train", "--threads", "10000" }, "Expected --threads in [1, ")]
    [InlineData(new[] { "train", "--batch-size", "5000" }, "Expected --batch-size in [1, 4096] without --shards (64 shards of 64 rows), got 5000.")]
    [InlineData(new[] { "train", "--shards", "0" }, "Expected --shards in [1, 32] (at most one shard per row of the batch), got 0.")]
    [InlineData(new[] { "train", "--optimizer", "adam", "--nesterov" }, "--nesterov applies to sgd only; adam would ignore it.")]
    [InlineData(new[] { "train", "--nesterov", "--momentum", "0" }, "--nesterov expects --momentum > 0.")]
    [InlineData(new[] { "train", "--optimizer", "adam", "--momentum", "0.5" }, "--momentum applies to sgd and rmsprop; adam has no momentum setting.")]
    [InlineData(new[] { "lr-search", "--mode", "range", "--min-lr", "1", "--max-lr", "0.1" }, "Expected --min-lr < --max-lr, got 1 and 0.1.")]
    [InlineData(new[] { "lr-search", "--lrs", "0.1", "-1" }, "Expected --lrs > 0 and finite, got -1.")]
    public void A_bad_argument_ends_with_one_error_line_and_exit_code_1(string[] args, string message)
    {
        var run = CliRun.Invoke(args).FailedWithOneErrorLine();

        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("(Parameter '", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Batch_normalization_refuses_more_than_one_shard()
    {
        Assert.SkipUnless(Directory.Exists("/usr/share/datasets/fashion-mnist"), "needs Fashion-MNIST (apt-get install dataset-fashion-mnist)");
        var run = CliRun.Invoke("train", "--data", "fashion-mnist", "--arch", "cnn", "--batch-size", "128").FailedWithOneErrorLine();
        Assert.Contains("The cnn network has batch normalization, which needs the whole batch in one shard; pass --shards 1 (got 2 shards).", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_parse_error_is_one_error_line_pointing_at_help_not_the_whole_help()
    {
        var run = CliRun.Invoke("train", "--epochs", "many").FailedWithOneErrorLine();

        Assert.Contains("'many'", run.Error, StringComparison.Ordinal);
        Assert.Contains("(see 'simddescent-cli train --help')", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Usage:", run.Output + run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--output")]
    [InlineData("--checkpoint")]
    [InlineData("--plot")]
    public void An_unwritable_output_path_is_refused_before_the_first_step(string option)
    {
        using var folder = new TemporaryFolder();

        var missing = CliRun.Invoke("train", "--epochs", "3", option, Path.Combine(folder.Path, "no-such-dir", "file")).FailedWithOneErrorLine();
        var directory = CliRun.Invoke("train", "--epochs", "3", option, folder.Path).FailedWithOneErrorLine();

        Assert.Contains($"Cannot write {option}", missing.Error, StringComparison.Ordinal);
        Assert.Contains("does not exist", missing.Error, StringComparison.Ordinal);
        Assert.Contains($"{option} '{folder.Path}' is a directory", directory.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("epoch", missing.Output + directory.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_file_for_weights_and_checkpoint_is_refused()
    {
        using var folder = new TemporaryFolder();
        var path = folder.File("run.safetensors");

        var run = CliRun.Invoke("train", "--epochs", "1", "--output", path, "--checkpoint", path).FailedWithOneErrorLine();

        Assert.Contains("--output and --checkpoint name the same file", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(path));
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
        var weights = CliRun.TrainedDigitsWeights(folder);
        var csv = folder.File("bad.csv");
        File.WriteAllLines(csv, ["0,1,2", "0,x,2"]);

        var run = CliRun.Invoke("predict", "--weights", weights, "--input", csv);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("bad.csv' line 2, column 2: expected a finite number of type Single, found 'x'", run.Error, StringComparison.Ordinal);
    }
}
