using System.Globalization;
using System.IO.Compression;
using System.Text.RegularExpressions;
using SimdDescent.Cli.Architectures;
using SimdDescent.IO.Checkpoints;

namespace SimdDescent.Cli.Tests;

/// <summary>
/// The PyTorch peer of the language models (benchmarks/peers/pytorch_gpt.py) and this library read each other's
/// files: weights PyTorch trained load here under their nanoGPT names and compute PyTorch's loss. Runs where
/// Debian's <c>/usr/bin/python3</c> has torch; nothing is downloaded.
/// </summary>
public sealed partial class PyTorchGptInteropTests
{
    [Fact]
    public void Weights_pytorch_trained_load_here_and_give_pytorch_s_validation_loss()
    {
        var script = PythonPeer.Script("pytorch_gpt.py");
        Assert.SkipUnless(script is not null, "benchmarks/peers/pytorch_gpt.py is not above the test's folder");
        Assert.SkipUnless(PythonPeer.HasTorch(), $"needs {PythonPeer.Python} with torch (apt-get install python3-torch)");
        using var folder = new TemporaryFolder();
        var text = folder.File("sayings.txt");
        using (var gzip = new GZipStream(File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Data", "sayings.txt.gz")), CompressionMode.Decompress))
        using (var file = File.Create(text))
        {
            gzip.CopyTo(file);
        }

        // gpt-tiny's shape. After 200 steps the blocks matter: feeding attention ln_2 instead of ln_1 moves the loss by 4.5e-4.
        string[] shape = ["--context", "32", "--width", "32", "--heads", "2", "--blocks", "2", "--mlp", "128"];
        var weights = folder.File("pytorch.safetensors");
        PythonPeer.RunScript(script!, ["train", "--data", text, "--steps", "200", "--warmup", "10", "--lr", "1e-2", "--batch", "16", "--output", weights, .. shape]);
        var reported = PythonPeer.RunScript(script!, ["import", weights, "--data", text, "--tokens", "0", .. shape]);
        var theirs = double.Parse(ValidationLoss().Match(reported).Groups[1].Value, CultureInfo.InvariantCulture);

        var model = new TinyByteGpt();
        Assert.Equal("gpt-tiny", NetworkCheckpoint.Load(model, weights)["architecture"]);
        var ours = ValidationLoss(model, File.ReadAllBytes(text));
        Assert.True(ours < 3.5, $"loss {ours}: the trained weights should beat uniform guessing (ln 256 ≈ 5.55) clearly");
        Assert.Equal(theirs, ours, 1e-5);

        CliRun.Invoke("generate", "--weights", weights, "--tokens", "20").Succeeded();
    }

    /// <summary>pytorch_gpt.py's validation loss: mean cross-entropy over the consecutive windows of the last tenth.</summary>
    private static double ValidationLoss(TinyByteGpt model, byte[] text)
    {
        var validation = text[(9 * text.Length / 10)..].Select(b => (int)b).ToArray();
        var context = model.Context;
        var windows = (validation.Length - 1) / context;
        var total = 0.0;
        for (var first = 0; first < windows; first += model.MaxBatch)
        {
            var batch = Math.Min(model.MaxBatch, windows - first);
            var inputs = validation.AsSpan(first * context, batch * context);
            var targets = validation.AsSpan((first * context) + 1, batch * context);
            total += (double)model.Forward(inputs, targets, batch, context) * batch * context;
        }

        return total / (windows * context);
    }

    [GeneratedRegex(@"validation loss: ([0-9.]+) nats/byte")]
    private static partial Regex ValidationLoss();
}
