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
    [InlineData("adagrad", "--lr", "0.05", "--momentum", "0")]
    public void Every_optimizer_and_schedule_learns_the_digits(string optimizer, params string[] extra)
    {
        var run = CliRun.Invoke(["train", "--optimizer", optimizer, "--epochs", "5", .. extra]).Succeeded();

        Assert.True(run.TestAccuracy >= 0.85, run.Output);
    }

    [Fact]
    public void Two_threads_and_the_gradient_check_run_end_to_end()
    {
        var run = CliRun.Invoke("train", "--epochs", "3", "--threads", "2", "--batch-size", "64", "--gradcheck").Succeeded();

        Assert.True(run.TestAccuracy >= 0.85, run.Output);
        Assert.Contains("2 thread(s)", run.Output, StringComparison.Ordinal);
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
