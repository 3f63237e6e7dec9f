using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text.RegularExpressions;
using SimdDescent.IO.Datasets;

namespace SimdDescent.Cli.Tests;

/// <summary>
/// A weights file PyTorch wrote for the <c>cnn</c> architecture (benchmarks/peers/pytorch_cnn.py export: the
/// state_dict as torch holds it, num_batches_tracked as I64) evaluates here to PyTorch's own figures. Runs where
/// Debian's <c>/usr/bin/python3</c> has torch and Fashion-MNIST is installed; nothing is downloaded.
/// </summary>
public sealed partial class PyTorchCnnInteropTests
{
    [Fact]
    public void A_cnn_pytorch_trained_and_saved_evaluates_here_to_pytorch_s_accuracy_and_loss()
    {
        var script = PythonPeer.Script("pytorch_cnn.py");
        Assert.SkipUnless(script is not null, "benchmarks/peers/pytorch_cnn.py is not above the test's folder");
        Assert.SkipUnless(PythonPeer.HasTorch(), $"needs {PythonPeer.Python} with torch (apt-get install python3-torch)");
        Assert.SkipUnless(FashionMnist.IsAvailable(), $"needs Fashion-MNIST in {FashionMnist.DefaultDirectory} (apt-get install dataset-fashion-mnist)");
        using var folder = new TemporaryFolder();
        var data = folder.File("fashion");
        Directory.CreateDirectory(data);
        CopyFirstRows(data, "train", 1280);
        CopyFirstRows(data, "t10k", 500);

        // 20 SGD steps move the running statistics off their initial 0 and 1 and count 20 batches.
        var weights = folder.File("pytorch-cnn.safetensors");
        PythonPeer.RunScript(script!, ["export", "--output", weights, "--data", data, "--steps", "20"]);
        var reported = Figures().Match(PythonPeer.RunScript(script!, ["evaluate", "--load", weights, "--data", data]));
        Assert.True(reported.Success, "pytorch_cnn.py evaluate printed no accuracy and loss");
        var ours = CliRun.Invoke("evaluate", "--weights", weights, "--arch", "cnn", "--data", data).Succeeded();

        var accuracy = double.Parse(reported.Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(accuracy > 0.4, $"accuracy {accuracy}: the trained weights should beat guessing (0.1) clearly");
        Assert.Equal(accuracy, ours.TestAccuracy, 1e-9);
        var loss = double.Parse(Loss().Match(ours.Output).Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.True(Math.Abs(double.Parse(reported.Groups[2].Value, CultureInfo.InvariantCulture) - loss) <= 1.0001e-4, $"PyTorch: {reported.Value}; here: test loss {loss}");
    }

    /// <summary>The first <paramref name="rows"/> images and labels of a Fashion-MNIST part, as uncompressed IDX files.</summary>
    private static void CopyFirstRows(string directory, string part, int rows)
    {
        foreach (var (kind, header, rowBytes) in new[] { ("images-idx3-ubyte", 16, 28 * 28), ("labels-idx1-ubyte", 8, 1) })
        {
            using var gzip = new GZipStream(File.OpenRead(Path.Combine(FashionMnist.DefaultDirectory, $"{part}-{kind}.gz")), CompressionMode.Decompress);
            var bytes = new byte[header + (rows * rowBytes)];
            gzip.ReadExactly(bytes);
            BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4), rows);
            File.WriteAllBytes(Path.Combine(directory, $"{part}-{kind}"), bytes);
        }
    }

    [GeneratedRegex(@"test accuracy ([0-9.]+), test loss ([0-9.]+)")]
    private static partial Regex Figures();

    [GeneratedRegex(@"test loss: ([0-9.]+)")]
    private static partial Regex Loss();
}
