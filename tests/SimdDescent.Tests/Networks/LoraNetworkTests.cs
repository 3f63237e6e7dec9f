using SimdDescent.Checking;
using SimdDescent.IO.Checkpoints;
using SimdDescent.IO.Safetensors;
using SimdDescent.Kernels;
using static SimdDescent.Tests.Networks.AdapterTestValues;
using SimdDescent.Tests.Support;
using SimdDescent.Training.Optimizers;

namespace SimdDescent.Tests.Networks;

/// <summary>Generated networks with LoRA adapters against their base network, merged against unmerged, and trained.</summary>
public class LoraNetworkTests
{
    private const int Batch = 16;

    [Fact]
    public void While_B_is_zero_the_adapted_network_is_bitwise_its_base()
    {
        var plain = new AdapterBaseNetwork();
        var adapted = new AdaptedNetwork();
        var (inputs, labels) = Data(1);

        Assert.Equal(plain.Parameters.ToArray(), adapted.BaseParameters.ToArray());
        Assert.Equal(plain.Tensors.Select(t => t.Name), adapted.BaseTensors.Select(t => t.Name));
        Assert.Equal(Predict(plain, inputs), Predict(adapted, inputs));
        Assert.Equal(plain.Forward(inputs, labels, Batch), adapted.Forward(inputs, labels, Batch));
    }

    [Fact]
    public void Only_the_adapters_are_trainable_under_PEFTs_names_and_shapes()
    {
        var adapted = new AdaptedNetwork();

        // A [3, in], B [out, 3] (kept as Bᵀ [3, out]) for each of the Dense layers (nn.Sequential indices 0, 3 and 5).
        Assert.Equal((3 * 12) + (16 * 3) + (3 * 16) + (8 * 3) + (3 * 8) + (4 * 3), adapted.ParameterCount);
        Assert.Equal(
            ["base_model.model.0.lora_A.weight", "base_model.model.0.lora_B.weight", "base_model.model.3.lora_A.weight",
             "base_model.model.3.lora_B.weight", "base_model.model.5.lora_A.weight", "base_model.model.5.lora_B.weight"],
            adapted.Tensors.Select(t => t.PyTorchName));
        Assert.All(adapted.Tensors, t => Assert.Equal(t.Name.EndsWith("lora_B", StringComparison.Ordinal), t.TransposedInPyTorch)); // B is kept as Bᵀ
        Assert.Equal(adapted.ParameterCount, adapted.Gradients.Length);
        Assert.Empty(adapted.Layers);
    }

    [Fact]
    public void Merged_prediction_equals_unmerged_and_unmerge_restores_the_base()
    {
        var adapted = new AdaptedNetwork();
        Randomize(adapted.Parameters, 2);
        var (inputs, labels) = Data(3);
        var baseWeights = adapted.BaseParameters.ToArray();
        var unmerged = Predict(adapted, inputs);
        Assert.NotEqual(Predict(new AdapterBaseNetwork(), inputs), unmerged);

        adapted.MergeAdapters();
        var merged = Predict(adapted, inputs);
        Assert.True(adapted.AdaptersMerged);
        Assert.NotEqual(baseWeights, adapted.BaseParameters.ToArray());
        AssertClose(unmerged, merged, 1e-5f);
        Assert.Throws<InvalidOperationException>(adapted.MergeAdapters);
        adapted.Forward(inputs, labels, Batch);
        Assert.Throws<InvalidOperationException>(adapted.Backward);

        adapted.UnmergeAdapters();
        AssertClose(baseWeights, adapted.BaseParameters.ToArray(), 1e-6f);
        AssertClose(unmerged, Predict(adapted, inputs), 1e-5f);
        Assert.Throws<InvalidOperationException>(adapted.UnmergeAdapters);
    }

    [Fact]
    public void Training_moves_the_adapters_and_leaves_the_frozen_base_bitwise_unchanged()
    {
        var adapted = new AdaptedNetwork();
        var (inputs, labels) = Data(4);
        var baseWeights = adapted.BaseParameters.ToArray();
        var adapters = adapted.Parameters.ToArray();
        var optimizer = new Adam<float>(ParameterLayout.For(adapted), new AdamOptions { LearningRate = 0.01 });

        var first = adapted.Forward(inputs, labels, Batch);
        var last = first;
        for (var step = 0; step < 30; step++)
        {
            adapted.Backward();
            optimizer.Step(adapted.Parameters, adapted.Gradients);
            last = adapted.Forward(inputs, labels, Batch);
        }

        Assert.True(last < first * 0.8f, $"loss {first} → {last}");
        Assert.Equal(baseWeights, adapted.BaseParameters.ToArray());
        Assert.NotEqual(adapters, adapted.Parameters.ToArray());
        Assert.Equal(adapted.ParameterCount, optimizer.GetState("exp_avg").Length);
    }

    [Fact]
    public void Adapters_saved_and_loaded_into_a_fresh_network_give_bitwise_the_same_outputs()
    {
        var trained = new AdaptedNetwork();
        Randomize(trained.Parameters, 5);
        var (inputs, _) = Data(6);
        var path = Path.Combine(Path.GetTempPath(), $"lora-{Guid.NewGuid():N}.safetensors");
        try
        {
            NetworkCheckpoint.Save(trained, path);
            using (var file = SafetensorsFile.Open(path))
            {
                Assert.Equal([3, 12], file.GetTensor("base_model.model.0.lora_A.weight").Shape.ToArray());
                Assert.Equal([16, 3], file.GetTensor("base_model.model.0.lora_B.weight").Shape.ToArray());
                Assert.Equal(6, file.Tensors.Count);
            }

            var loaded = new AdaptedNetwork();
            NetworkCheckpoint.Load(loaded, path);

            Assert.Equal(Predict(trained, inputs), Predict(loaded, inputs));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Adapter_gradients_pass_the_gradient_check(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        var network = new AdaptedDoubleNetwork();
        var random = new Random(7);
        foreach (ref var value in network.Parameters)
        {
            value = (random.NextDouble() * 2) - 1; // B ≠ 0, so every adapter path carries gradient
        }

        var inputs = Enumerable.Range(0, 6 * 12).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
        int[] labels = [0, 3, 1, 2, 2, 0];

        var report = GradientChecker.Check(network, inputs, labels, 6, GradientCheckOptions.For<double>() with { CheckInputs = true });

        Assert.True(report.Passed, report.ToString());
        Assert.Equal(network.Tensors.Count + 1, report.Tensors.Count);
    }

    [Fact]
    public void Adapter_dropout_changes_training_passes_only()
    {
        var network = new AdaptedDoubleNetwork();
        Randomize(network.Parameters, 8);
        var random = new Random(9);
        var inputs = Enumerable.Range(0, Batch * 12).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
        var labels = Enumerable.Range(0, Batch).Select(i => i % 4).ToArray();

        network.IsTraining = false;
        var inference = network.Forward(inputs, labels, Batch);
        network.IsTraining = true;
        var training = network.Forward(inputs, labels, Batch);
        var nextTraining = network.Forward(inputs, labels, Batch);
        network.IsTraining = false;

        Assert.NotEqual(inference, training);
        Assert.NotEqual(training, nextTraining); // a fresh mask per training pass
        Assert.Equal(inference, network.Forward(inputs, labels, Batch));
    }

    private static float[] Predict<TNetwork>(TNetwork network, float[] inputs)
        where TNetwork : SimdDescent.Networks.INetwork<float>
    {
        var outputs = new float[Batch * 4];
        network.Workspace.Predict(inputs, outputs, Batch);
        return outputs;
    }

    private static (float[] Inputs, int[] Labels) Data(int seed)
    {
        var random = new Random(seed);
        var inputs = Enumerable.Range(0, Batch * 12).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var labels = Enumerable.Range(0, Batch).Select(_ => random.Next(4)).ToArray();
        return (inputs, labels);
    }
}
