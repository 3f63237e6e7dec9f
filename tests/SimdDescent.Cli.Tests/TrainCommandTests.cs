namespace SimdDescent.Cli.Tests;

public sealed class TrainCommandTests
{
    [Fact]
    public void Training_on_the_embedded_digits_reaches_the_floor_and_the_saved_weights_give_the_same_accuracy()
    {
        using var folder = new TemporaryFolder();
        var weights = folder.File("digits.safetensors");

        var train = CliRun.Invoke("train", "--epochs", "10", "--output", weights).Succeeded();

        Assert.True(train.TestAccuracy >= 0.95, train.Output);
        Assert.Contains("epoch", train.Output, StringComparison.Ordinal);
        var evaluate = CliRun.Invoke("evaluate", "--weights", weights).Succeeded();
        Assert.Equal(train.TestAccuracy, evaluate.TestAccuracy);
        Assert.Contains("confusion matrix", evaluate.Output, StringComparison.Ordinal);
        Assert.Contains("recall", evaluate.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sgd", "--nesterov", "--schedule", "cosine")]
    [InlineData("adam", "--lr", "0.003", "--schedule", "step")]
    [InlineData("adamw", "--lr", "0.003", "--schedule", "onecycle")]
    [InlineData("sgd", "--schedule", "onecycle", "--cycle-momentum")]
    [InlineData("rmsprop", "--lr", "0.001", "--schedule", "exponential")]
    [InlineData("adagrad", "--lr", "0.05")]
    public void Every_optimizer_and_schedule_learns_the_digits(string optimizer, params string[] extra)
    {
        var run = CliRun.Invoke(["train", "--optimizer", optimizer, "--epochs", "5", .. extra]).Succeeded();

        Assert.True(run.TestAccuracy >= 0.85, run.Output);
    }

    [Fact]
    public void Two_threads_and_the_gradient_check_run_end_to_end()
    {
        var run = CliRun.Invoke("train", "--epochs", "3", "--threads", "2", "--batch-size", "128", "--gradcheck").Succeeded();

        Assert.True(run.TestAccuracy >= 0.85, run.Output);
        Assert.Contains("batch 128 in 2 shard(s)", run.Output, StringComparison.Ordinal);
        Assert.Contains("2 thread(s)", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("128")]
    [InlineData("96", "--shards", "3")]
    public void One_to_four_threads_write_bitwise_the_same_weights(string batchSize, params string[] extra)
    {
        using var folder = new TemporaryFolder();
        string[] recipe = ["train", "--epochs", "2", "--batch-size", batchSize, "--optimizer", "adam", "--lr", "0.003", .. extra];

        CliRun.Invoke([.. recipe, "--threads", "1", "--output", folder.File("1.safetensors")]).Succeeded();
        var one = File.ReadAllBytes(folder.File("1.safetensors"));
        // --threads accepts up to the machine's processor count.
        for (var threads = 2; threads <= Math.Min(4, Environment.ProcessorCount); threads++)
        {
            var file = folder.File($"{threads}.safetensors");
            CliRun.Invoke([.. recipe, "--threads", $"{threads}", "--output", file]).Succeeded();
            Assert.True(one.AsSpan().SequenceEqual(File.ReadAllBytes(file)), $"--threads {threads} changed the weights.");
        }
    }

    [Fact]
    public void Flips_and_shifts_change_the_weights_and_repeat_with_the_seed()
    {
        using var folder = new TemporaryFolder();
        string[] recipe = ["train", "--epochs", "3", "--optimizer", "adam", "--lr", "0.003"];

        CliRun.Invoke([.. recipe, "--output", folder.File("plain.safetensors")]).Succeeded();
        var augmented = CliRun.Invoke([.. recipe, "--flip", "--shift", "1", "--output", folder.File("a.safetensors")]).Succeeded();
        CliRun.Invoke([.. recipe, "--flip", "--shift", "1", "--output", folder.File("b.safetensors")]).Succeeded();

        Assert.True(augmented.TestAccuracy >= 0.6, augmented.Output);
        Assert.False(File.ReadAllBytes(folder.File("plain.safetensors")).AsSpan().SequenceEqual(File.ReadAllBytes(folder.File("a.safetensors"))));
        Assert.True(File.ReadAllBytes(folder.File("a.safetensors")).AsSpan().SequenceEqual(File.ReadAllBytes(folder.File("b.safetensors"))));
    }

    [Fact]
    public void A_shift_as_large_as_the_image_is_refused()
    {
        var run = CliRun.Invoke("train", "--epochs", "1", "--shift", "8").FailedWithOneErrorLine();

        Assert.Contains("error: Expected --shift in [0, 7] (below the images' side of 8 pixels), got 8.", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void More_threads_than_shards_warn_and_train_on_as_many_threads_as_shards()
    {
        var run = CliRun.Invoke("train", "--epochs", "1", "--threads", "2").Succeeded();

        Assert.Contains("warning: a 32-row batch in 1 shard(s) keeps 1 of the 2 threads busy; pass --shards 2", run.Output, StringComparison.Ordinal);
        Assert.Contains("1 thread(s)", run.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--seed", "6", "--seed 6 differs from the checkpoint's seed 5")]
    [InlineData("--batch-size", "64", "--batch-size 64 differs from the checkpoint's batch size 32")]
    [InlineData("--shards", "2", "--shards 2 differs from the checkpoint's shard count 1")]
    public void Resuming_with_another_seed_batch_size_or_shard_count_is_refused_naming_both(string option, string value, string message)
    {
        using var folder = new TemporaryFolder();
        CliRun.Invoke("train", "--epochs", "1", "--seed", "5", "--checkpoint", folder.File("run.ckpt")).Succeeded();

        var run = CliRun.Invoke("train", "--epochs", "2", "--resume", folder.File("run.ckpt"), option, value).FailedWithOneErrorLine();

        Assert.Contains(message, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Resuming_without_seed_and_batch_size_continues_with_the_checkpoints()
    {
        using var folder = new TemporaryFolder();
        string[] recipe = ["train", "--epochs", "3", "--seed", "5", "--batch-size", "48"];
        CliRun.Invoke([.. recipe, "--output", folder.File("straight.safetensors")]).Succeeded();
        CliRun.Invoke([.. recipe, "--stop-after", "1", "--checkpoint", folder.File("run.ckpt")]).Succeeded();

        var resumed = CliRun.Invoke("train", "--epochs", "3", "--resume", folder.File("run.ckpt"), "--output", folder.File("resumed.safetensors")).Succeeded();

        Assert.Contains("batch 48 in 1 shard(s)", resumed.Output, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(folder.File("straight.safetensors")), File.ReadAllBytes(folder.File("resumed.safetensors")));
    }

    [Fact]
    public void Resuming_from_a_checkpoint_writes_bitwise_the_weights_of_an_uninterrupted_run()
    {
        using var folder = new TemporaryFolder();
        string[] recipe = ["train", "--optimizer", "adam", "--lr", "0.003", "--schedule", "cosine", "--seed", "5"];

        CliRun.Invoke([.. recipe, "--epochs", "4", "--output", folder.File("straight.safetensors")]).Succeeded();
        var half = CliRun.Invoke([.. recipe, "--epochs", "4", "--stop-after", "2", "--checkpoint", folder.File("half.ckpt")]).Succeeded();
        Assert.DoesNotContain("│ 3 ", half.Output, StringComparison.Ordinal);
        var resumed = CliRun.Invoke([.. recipe, "--epochs", "4", "--resume", folder.File("half.ckpt"), "--output", folder.File("resumed.safetensors")]).Succeeded();

        Assert.Contains("resuming", resumed.Output, StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(folder.File("straight.safetensors")), File.ReadAllBytes(folder.File("resumed.safetensors")));
    }

    [Fact]
    public void Resuming_with_another_optimizer_fails_with_a_clear_message()
    {
        using var folder = new TemporaryFolder();
        CliRun.Invoke("train", "--epochs", "1", "--checkpoint", folder.File("sgd.ckpt")).Succeeded();

        var run = CliRun.Invoke("train", "--epochs", "3", "--optimizer", "adam", "--resume", folder.File("sgd.ckpt"));

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("holds the state of a Sgd optimizer; this run uses Adam", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_plot_is_a_png()
    {
        using var folder = new TemporaryFolder();
        var png = folder.File("curves.png");

        CliRun.Invoke("train", "--epochs", "2", "--plot", png).Succeeded();

        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(png)[..4]);
    }
}
