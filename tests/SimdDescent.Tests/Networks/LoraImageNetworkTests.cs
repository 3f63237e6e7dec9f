using SimdDescent.Checking;
using SimdDescent.IO.Checkpoints;
using SimdDescent.IO.Safetensors;
using SimdDescent.Kernels;
using SimdDescent.Tests.Support;
using SimdDescent.Training.Optimizers;
using static SimdDescent.Tests.Networks.AdapterTestValues;

namespace SimdDescent.Tests.Networks;

/// <summary>
/// An image network with an adapter on a Dense layer and its head trained whole (PEFT's modules_to_save), against
/// its plain twin: frozen convolution and batch normalization, gradients, merging, and files.
/// </summary>
public class LoraImageNetworkTests
{
    private const int Batch = 16;
    private const int Inputs = 2 * 6 * 6;
    private const int Classes = 3;

    [Fact]
    public void The_trainable_head_and_adapters_are_the_parameters_under_PEFTs_names()
    {
        var adapted = new AdaptedImageNetwork();

        // layer 5: Dense 27 → 10 (nn.Sequential 5), A [2, 27], B [10, 2]; layer 6: the head, Dense 10 → 3 (nn.Sequential 7).
        Assert.Equal((2 * 27) + (10 * 2) + (10 * 3) + 3, adapted.ParameterCount);
        Assert.Equal(
            ["base_model.model.7.weight", "base_model.model.7.bias", "base_model.model.5.lora_A.weight", "base_model.model.5.lora_B.weight"],
            adapted.Tensors.Select(t => t.PyTorchName));
        Assert.Equal(new AdapterImageBaseNetwork().Tensors.Select(t => t.PyTorchName), adapted.BaseTensors.Select(t => t.PyTorchName));
        Assert.Equal(adapted.ParameterCount, adapted.Gradients.Length);
    }

    [Fact]
    public void While_B_is_zero_the_adapted_network_predicts_bitwise_as_its_base()
    {
        var plain = new AdapterImageBaseNetwork();
        var adapted = new AdaptedImageNetwork();
        Randomize(plain.Statistics, 1);
        plain.Statistics[3..6].Fill(1.5f); // running variances must be positive
        plain.Statistics.CopyTo(adapted.Statistics);
        var (inputs, _) = Data(2);

        // The head trained whole starts as the base initializer left it.
        Assert.Equal(plain.Parameters.ToArray(), adapted.BaseParameters.ToArray());
        Assert.Equal(Predict(plain, inputs), Predict(adapted, inputs));
    }

    [Fact]
    public void Training_moves_adapters_and_head_and_leaves_the_base_and_its_statistics_bitwise_unchanged()
    {
        var adapted = new AdaptedImageNetwork();
        var (inputs, labels) = Data(3);
        var baseWeights = adapted.BaseParameters.ToArray();
        var statistics = adapted.Statistics.ToArray();
        var optimizer = new Adam<float>(ParameterLayout.For(adapted), new AdamOptions { LearningRate = 0.02 });

        var first = adapted.Forward(inputs, labels, Batch);
        var last = first;
        for (var step = 0; step < 40; step++)
        {
            adapted.Backward();
            optimizer.Step(adapted.Parameters, adapted.Gradients);
            last = adapted.Forward(inputs, labels, Batch);
        }

        Assert.True(last < first * 0.8f, $"loss {first} → {last}");
        Assert.Equal(baseWeights, adapted.BaseParameters.ToArray());
        Assert.Equal(statistics, adapted.Statistics.ToArray());
        Assert.Equal(adapted.ParameterCount, optimizer.GetState("exp_avg").Length);
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Adapter_and_head_gradients_pass_the_gradient_check(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        var network = new AdaptedImageDoubleNetwork();
        Randomize(network.Parameters, 4);
        var random = new Random(5);
        var inputs = Enumerable.Range(0, 6 * Inputs).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
        int[] labels = [0, 2, 1, 1, 0, 2];

        var report = GradientChecker.Check(network, inputs, labels, 6, GradientCheckOptions.For<double>() with { CheckInputs = false });

        Assert.True(report.Passed, report.ToString());
        Assert.Equal(network.Tensors.Count, report.Tensors.Count);
    }

    [Fact]
    public void Input_gradients_are_refused_because_the_image_layers_get_no_backward_pass()
    {
        var network = new AdaptedImageNetwork { DefaultWorkspace = { ComputeInputGradients = true } };
        var (inputs, labels) = Data(6);
        network.Forward(inputs, labels, Batch);

        var error = Assert.Throws<InvalidOperationException>(network.Backward);
        Assert.Contains("ComputeInputGradients", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Merged_prediction_equals_unmerged_and_the_merged_base_saved_loads_into_the_plain_network()
    {
        var adapted = new AdaptedImageNetwork();
        Randomize(adapted.Parameters, 7);
        var (inputs, _) = Data(8);
        var unmerged = Predict(adapted, inputs);
        var path = Path.Combine(Path.GetTempPath(), $"lora-image-{Guid.NewGuid():N}.safetensors");
        try
        {
            adapted.MergeAdapters();
            AssertClose(unmerged, Predict(adapted, inputs), 1e-5f);
            NetworkCheckpoint.Save(adapted.Base, path);
            var plain = new AdapterImageBaseNetwork();
            NetworkCheckpoint.Load(plain, path);

            Assert.Equal(adapted.BaseParameters.ToArray(), plain.Parameters.ToArray());
            AssertClose(unmerged, Predict(plain, inputs), 1e-5f);
            adapted.UnmergeAdapters();
            AssertClose(unmerged, Predict(adapted, inputs), 1e-5f);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Adapters_and_head_saved_and_loaded_into_a_fresh_network_give_bitwise_the_same_outputs()
    {
        var trained = new AdaptedImageNetwork();
        Randomize(trained.Parameters, 9);
        var (inputs, _) = Data(10);
        var path = Path.Combine(Path.GetTempPath(), $"lora-image-{Guid.NewGuid():N}.safetensors");
        try
        {
            NetworkCheckpoint.Save(trained, path);
            using (var file = SafetensorsFile.Open(path))
            {
                Assert.Equal([3, 10], file.GetTensor("base_model.model.7.weight").Shape.ToArray()); // PyTorch's [out, in]
                Assert.Equal(4, file.Tensors.Count);
            }

            var loaded = new AdaptedImageNetwork();
            NetworkCheckpoint.Load(loaded, path);

            Assert.Equal(Predict(trained, inputs), Predict(loaded, inputs));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_base_loads_under_a_head_of_another_width_when_the_head_is_skipped()
    {
        var pretrained = new AdapterImageBaseNetwork();
        Randomize(pretrained.Parameters, 12);
        Randomize(pretrained.Statistics, 13);
        var path = Path.Combine(Path.GetTempPath(), $"lora-image-{Guid.NewGuid():N}.safetensors");
        try
        {
            NetworkCheckpoint.Save(pretrained, path);
            var fiveWay = new FiveWayImageNetwork();
            var head = fiveWay.Parameters[fiveWay.Tensors[5].Offset..].ToArray();

            var mismatch = Assert.Throws<InvalidDataException>(() => NetworkCheckpoint.Load(fiveWay, path));
            Assert.Contains("tensor '7.weight' is F32 [3, 10]; expected F32 [5, 10]", mismatch.Message, StringComparison.Ordinal);
            Assert.Throws<ArgumentException>(() => NetworkCheckpoint.Load(fiveWay, path, ["8.weight"]));
            NetworkCheckpoint.Load(fiveWay, path, ["7.weight", "7.bias"]);

            var body = fiveWay.Tensors[5].Offset;
            Assert.Equal(pretrained.Parameters[..body].ToArray(), fiveWay.Parameters[..body].ToArray());
            Assert.Equal(head, fiveWay.Parameters[body..].ToArray());
            Assert.Equal(pretrained.Statistics.ToArray(), fiveWay.Statistics.ToArray());
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static float[] Predict<TNetwork>(TNetwork network, float[] inputs)
        where TNetwork : SimdDescent.Networks.INetwork<float>
    {
        var outputs = new float[Batch * Classes];
        network.Workspace.Predict(inputs, outputs, Batch);
        return outputs;
    }

    private static (float[] Inputs, int[] Labels) Data(int seed)
    {
        var random = new Random(seed);
        var inputs = Enumerable.Range(0, Batch * Inputs).Select(_ => (float)random.NextDouble()).ToArray();
        var labels = Enumerable.Range(0, Batch).Select(_ => random.Next(Classes)).ToArray();
        return (inputs, labels);
    }
}
