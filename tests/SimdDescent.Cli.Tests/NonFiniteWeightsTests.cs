using SimdDescent.IO.Safetensors;

namespace SimdDescent.Cli.Tests;

public sealed class NonFiniteWeightsTests
{
    [Fact]
    public void Evaluating_weights_that_hold_a_NaN_ends_in_one_error_line_naming_the_tensor()
    {
        using var folder = new TemporaryFolder();
        var weights = CliRun.TrainedDigitsWeights(folder);
        var poisoned = folder.File("nan.safetensors");
        using (var file = SafetensorsFile.Open(weights))
        {
            var writer = new SafetensorsWriter();
            foreach (var tensor in file.Tensors)
            {
                var data = new float[tensor.ElementCount];
                file.CopyTo(tensor.Name, data.AsSpan());
                data[^1] = tensor.Name == "2.bias" ? float.NaN : data[^1];
                writer.Add(tensor.Name, tensor.Shape.ToArray(), data);
            }

            foreach (var (key, value) in file.Metadata)
            {
                writer.AddMetadata(key, value);
            }

            writer.Save(poisoned);
        }

        var run = CliRun.Invoke("evaluate", "--weights", poisoned);

        Assert.Equal(1, run.ExitCode);
        Assert.Equal($"error: '{poisoned}': tensor '2.bias' holds NaN at index 9 (element [9] of shape [10]); expected finite values, so the run that saved it may have diverged.", run.Error.TrimEnd());
        Assert.DoesNotContain("test loss", run.Output, StringComparison.Ordinal);
    }
}
