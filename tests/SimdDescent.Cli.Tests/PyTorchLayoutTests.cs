using SimdDescent.Cli.Architectures;
using SimdDescent.IO.Datasets;
using SimdDescent.IO.Safetensors;

namespace SimdDescent.Cli.Tests;

public sealed class PyTorchLayoutTests
{
    [Fact]
    public void Saved_weights_compute_the_network_the_way_nn_Sequential_would()
    {
        using var folder = new TemporaryFolder();
        var weights = folder.File("digits.safetensors");
        CliRun.Invoke("train", "--epochs", "2", "--output", weights).Succeeded();
        var network = new DigitsMlp();
        IO.Checkpoints.NetworkCheckpoint.Load(network, weights);
        var x = DigitsDataset.Load().InputRows(11, 1).ToArray();

        // nn.Sequential(Linear(64, 64), ReLU(), Linear(64, 10)) with Linear(x) = x·Wᵀ + b, W stored [out, in].
        using var file = SafetensorsFile.Open(weights);
        Assert.Equal(["0.bias", "0.weight", "2.bias", "2.weight"], file.Tensors.Select(t => t.Name).Order(StringComparer.Ordinal));
        var hidden = Linear(file, "0", x).Select(v => Math.Max(v, 0)).ToArray();
        var expected = Linear(file, "2", hidden);

        var logits = new float[10];
        network.Predict(x, logits, 1);
        for (var c = 0; c < 10; c++)
        {
            Assert.Equal(expected[c], logits[c], 1e-4);
        }
    }

    private static double[] Linear(SafetensorsFile file, string module, IReadOnlyList<double> input) => Linear(file, module, input.Select(v => (float)v).ToArray());

    private static double[] Linear(SafetensorsFile file, string module, float[] input)
    {
        var shape = file.GetTensor($"{module}.weight").Shape.ToArray();
        Assert.Equal(input.Length, shape[1]);
        var weight = new float[shape[0] * shape[1]];
        var bias = new float[shape[0]];
        file.CopyTo($"{module}.weight", weight.AsSpan());
        file.CopyTo($"{module}.bias", bias.AsSpan());
        var output = new double[shape[0]];
        for (var o = 0; o < shape[0]; o++)
        {
            output[o] = bias[o];
            for (var i = 0; i < shape[1]; i++)
            {
                output[o] += (double)weight[(o * shape[1]) + i] * input[i];
            }
        }

        return output;
    }
}
