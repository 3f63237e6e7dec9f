using System.Buffers.Binary;
using System.Text;
using System.Text.Json;

namespace SimdDescent.Cli.Tests;

public sealed class DivergenceTests
{
    [Theory]
    [InlineData("--lr", "1e30")]
    [InlineData("--lr", "1e30", "--threads", "2", "--shards", "2")]
    public void A_diverging_run_ends_with_one_error_line_naming_step_and_tensor_and_keeps_the_files(params string[] options)
    {
        using var folder = new TemporaryFolder();
        var weights = folder.File("weights.safetensors");
        var checkpoint = folder.File("run.ckpt");
        File.WriteAllText(weights, "earlier weights");
        File.WriteAllText(checkpoint, "earlier checkpoint");

        var run = CliRun.Invoke(["train", "--epochs", "5", "--output", weights, "--checkpoint", checkpoint, .. options]).FailedWithOneErrorLine();

        Assert.Matches(@"^error: training diverged: The loss at step \d+ is NaN: .*tensor 'layer[01]\.(weight|bias)' holds ", run.Error);
        Assert.Equal("earlier weights", File.ReadAllText(weights));
        Assert.Equal("earlier checkpoint", File.ReadAllText(checkpoint));
    }

    [Fact]
    public void Resuming_a_checkpoint_that_holds_a_nan_ends_with_one_error_line_naming_the_tensor()
    {
        using var folder = new TemporaryFolder();
        var checkpoint = folder.File("run.ckpt");
        CliRun.Invoke("train", "--epochs", "1", "--checkpoint", checkpoint).Succeeded();
        PoisonFirstElement(checkpoint, "0.weight");

        var run = CliRun.Invoke("train", "--epochs", "3", "--resume", checkpoint).FailedWithOneErrorLine();

        // Whether the load refuses it or the first step finds it, the message names the tensor.
        Assert.Contains("0.weight", run.Error, StringComparison.Ordinal);
    }

    /// <summary>Writes a float NaN over the first element of a safetensors tensor.</summary>
    private static void PoisonFirstElement(string path, string tensor)
    {
        var bytes = File.ReadAllBytes(path);
        var headerLength = (int)BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        using var header = JsonDocument.Parse(Encoding.UTF8.GetString(bytes, 8, headerLength));
        var begin = header.RootElement.GetProperty(tensor).GetProperty("data_offsets")[0].GetInt32();
        BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(8 + headerLength + begin), float.NaN);
        File.WriteAllBytes(path, bytes);
    }
}
