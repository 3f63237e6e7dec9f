using SimdDescent.Cli.Architectures;
using SimdDescent.IO.Checkpoints;
using SimdDescent.IO.Onnx;

namespace SimdDescent.Cli.Tests;

public sealed class ExportCommandTests
{
    [Fact]
    public void Export_writes_the_model_of_the_trained_weights()
    {
        using var folder = new TemporaryFolder();
        var weights = folder.File("digits.safetensors");
        var onnx = folder.File("digits.onnx");
        CliRun.Invoke("train", "--epochs", "2", "--output", weights).Succeeded();

        var run = CliRun.Invoke("export", "--weights", weights, "--onnx", onnx).Succeeded();

        // The same bytes as the library's exporter gives for those weights loaded by hand.
        var network = new DigitsMlp();
        NetworkCheckpoint.Load(network, weights);
        Assert.Equal(OnnxExporter.Export(network), File.ReadAllBytes(onnx));
        Assert.Contains("digits: 64 → 10, 4810 parameters written to", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Cnn_weights_export_with_their_running_statistics()
    {
        using var folder = new TemporaryFolder();
        var weights = folder.File("cnn.safetensors");
        var onnx = folder.File("cnn.onnx");
        var network = new Cnn();
        network.Initialize(7);
        // Statistics other than the initial mean 0 and variance 1, so the model only matches if export loads them.
        var statistics = network.Statistics;
        for (var i = 0; i < statistics.Length; i++)
        {
            statistics[i] = 0.5f + (0.01f * (i % 17));
        }

        NetworkCheckpoint.Save(network, weights);

        var run = CliRun.Invoke("export", "--weights", weights, "--onnx", onnx, "--arch", "cnn").Succeeded();

        Assert.Equal(OnnxExporter.Export(network), File.ReadAllBytes(onnx));
        var initialStatistics = new Cnn();
        initialStatistics.Initialize(7);
        Assert.NotEqual(OnnxExporter.Export(initialStatistics), File.ReadAllBytes(onnx));
        Assert.Contains($"cnn: 784 → 10, {network.ParameterCount} parameters written to", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Export_of_train_lm_weights_writes_the_language_model_with_the_recorded_heads()
    {
        using var folder = new TemporaryFolder();
        var weights = folder.File("gpt.safetensors");
        var onnx = folder.File("gpt.onnx");
        var sayings = Path.Combine(AppContext.BaseDirectory, "Data", "sayings.txt.gz");
        CliRun.Invoke("train-lm", "--data", sayings, "--arch", "gpt-tiny", "--steps", "2", "--output", weights).Succeeded();

        var run = CliRun.Invoke("export", "--weights", weights, "--onnx", onnx).Succeeded();

        // The same bytes as the library's exporter gives for those weights in gpt-tiny (2 heads) loaded by hand.
        var model = new TinyByteGpt();
        NetworkCheckpoint.Load(model, weights);
        Assert.Equal(LanguageModelOnnxExporter.Export(model, heads: 2), File.ReadAllBytes(onnx));
        Assert.Contains("gpt-tiny: tokens [batch, time ≤ 32] → logits [batch, time, 256]", run.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Weights_without_a_recorded_architecture_need_arch()
    {
        using var folder = new TemporaryFolder();
        var weights = folder.File("bare.safetensors");
        NetworkCheckpoint.Save(new DigitsMlp(), weights);

        var run = CliRun.Invoke("export", "--weights", weights, "--onnx", folder.File("bare.onnx"));

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"error: '{weights}' records no architecture; name it with --arch (digits, seed, mlp128, deep, cnn, cnn2).", run.Error.Trim());
        Assert.False(File.Exists(folder.File("bare.onnx")));
        CliRun.Invoke("export", "--weights", weights, "--onnx", folder.File("bare.onnx"), "--arch", "digits").Succeeded();
        Assert.True(File.Exists(folder.File("bare.onnx")));
    }

    [Fact]
    public void Missing_weights_file_is_one_error_line()
    {
        using var folder = new TemporaryFolder();
        var run = CliRun.Invoke("export", "--weights", folder.File("none.safetensors"), "--onnx", folder.File("x.onnx"));
        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"error: Weights file '{folder.File("none.safetensors")}' does not exist.", run.Error.Trim());
    }
}
