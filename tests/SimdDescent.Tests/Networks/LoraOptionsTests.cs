using SimdDescent.Checking;
using SimdDescent.IO.Checkpoints;
using SimdDescent.Kernels;
using SimdDescent.Networks;
using SimdDescent.Tests.IO;
using SimdDescent.Tests.Support;
using SimdDescent.Training.Optimizers;
using static SimdDescent.Tests.Networks.AdapterTestValues;

namespace SimdDescent.Tests.Networks;

/// <summary>
/// Adapters chosen at construction (<see cref="LoraOptions"/>): rank up to the declared MaxRank, α, and a subset of
/// the declared targets, against a merge computed by hand into the plain base, central differences, files and
/// allocation.
/// </summary>
[Collection(nameof(AllocationMeasurementCollection))]
public class LoraOptionsTests
{
    private const int Batch = 16;
    private static readonly int[] s_tokens = [1, 5, 7, 2, 12, 0, 3, 3, 9, 4, 11, 6, 8, 2, 2, 5, 1, 0, 10, 7, 4, 6, 12, 9];
    private static readonly int[] s_targets = [.. s_tokens.Skip(1).Append(0)];
    private static readonly LoraOptions s_networkOptions = new() { Rank = 5, Alpha = 2.5, Targets = ["3", "5"] };
    private static readonly LoraOptions s_modelOptions = new() { Rank = 6, Alpha = 3, Targets = ["c_attn", "mlp.c_proj"] };

    [Fact]
    public void Chosen_options_lay_out_only_the_chosen_adapters_at_the_chosen_rank()
    {
        var network = new AdaptedNetwork(s_networkOptions);
        var model = new AdaptedTinyLanguageModel(s_modelOptions);

        Assert.Equal((5, 2.5), (network.AdapterRank, network.AdapterAlpha));
        Assert.Equal(["3", "5"], network.AdapterTargets);
        Assert.Equal(
            ["base_model.model.3.lora_A.weight", "base_model.model.3.lora_B.weight", "base_model.model.5.lora_A.weight", "base_model.model.5.lora_B.weight"],
            network.Tensors.Select(t => t.PyTorchName));
        Assert.Equal((5 * 16) + (5 * 8) + (5 * 8) + (5 * 4), network.ParameterCount);
        Assert.Equal([5, 16], network.Tensors[0].Shape.ToArray());
        Assert.Equal(network.ParameterCount, network.Gradients.Length);

        Assert.Equal(["attn.c_attn", "mlp.c_proj"], model.AdapterTargets);
        Assert.Equal(2 * ((6 * 16) + (6 * 48) + (6 * 64) + (6 * 16)), model.ParameterCount);
        Assert.All(model.Tensors, t => Assert.Matches(@"\.(c_attn|mlp\.c_proj)\.lora_[AB]\.weight$", t.PyTorchName));
    }

    [Fact]
    public void Without_options_the_declared_adapters_are_chosen_and_no_target_leaves_only_the_head()
    {
        var declared = new AdaptedNetwork();
        var image = new AdaptedImageNetwork(new LoraOptions { Targets = [] });

        Assert.Equal((3, 6.0), (declared.AdapterRank, declared.AdapterAlpha));
        Assert.Equal(["0", "3", "5"], declared.AdapterTargets);
        Assert.Empty(image.AdapterTargets);
        Assert.Equal(["base_model.model.7.weight", "base_model.model.7.bias"], image.Tensors.Select(t => t.PyTorchName));
    }

    [Theory]
    [InlineData(0, 1.0, "3")]
    [InlineData(7, 1.0, "3")] // above MaxRank 6
    [InlineData(2, double.NaN, "3")]
    [InlineData(2, 1.0, "4")] // a LayerNorm's module, not a target
    public void Options_outside_the_declaration_are_refused(int rank, double alpha, string target)
    {
        var error = Record.Exception(() => new AdaptedNetwork(new LoraOptions { Rank = rank, Alpha = alpha, Targets = [target] }));

        Assert.IsAssignableFrom<ArgumentException>(error);
        Assert.Throws<ArgumentException>(() => new AdaptedTinyLanguageModel(new LoraOptions { Targets = ["wte"] }));
    }

    [Fact]
    public void A_network_with_chosen_adapters_predicts_as_its_base_with_the_adapters_merged_by_hand()
    {
        var adapted = new AdaptedNetwork(s_networkOptions);
        Randomize(adapted.Parameters, 1);
        var plain = new AdapterBaseNetwork();
        MergeByHand(adapted, plain);
        var (inputs, _) = NetworkData(2);

        AssertClose(Predict(plain, inputs, 4), Predict(adapted, inputs, 4), 1e-5f);
        adapted.MergeAdapters();
        AssertClose(Predict(plain, inputs, 4), Predict(adapted, inputs, 4), 1e-5f);
    }

    [Fact]
    public void A_language_model_with_chosen_adapters_predicts_as_its_base_with_the_adapters_merged_by_hand_and_decodes_the_same()
    {
        var adapted = new AdaptedTinyLanguageModel(s_modelOptions);
        Randomize(adapted.Parameters, 3);
        var plain = new TinyLanguageModel();
        MergeByHand(adapted, plain);
        var expected = Logits(plain);

        AssertClose(expected, Logits(adapted), 1e-5f);
        var decoder = adapted.CreateDecoder();
        for (var t = 0; t < 6; t++)
        {
            AssertClose(expected.AsSpan(t * 13, 13).ToArray(), decoder.Append(s_tokens[t]).ToArray(), 1e-5f);
        }
    }

    [Fact]
    public void Training_chosen_adapters_lowers_the_loss_and_leaves_the_frozen_base_bitwise_unchanged()
    {
        var model = new AdaptedTinyLanguageModel(s_modelOptions);
        var baseWeights = model.BaseParameters.ToArray();

        var (first, loss, optimizer) = TrainOnOneBatch(model, s_tokens, s_targets);

        Assert.True(loss < first * 0.97f, $"loss {first} → {loss}");
        Assert.Equal(baseWeights, model.BaseParameters.ToArray());
        Assert.Equal(model.ParameterCount, optimizer.GetState("exp_avg").Length);
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Chosen_adapters_pass_the_gradient_check(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        var network = new AdaptedDoubleNetwork(new LoraOptions { Rank = 1, Alpha = 1.5, Targets = ["5"] });
        Randomize(network.Parameters, 4);
        var random = new Random(5);
        var inputs = Enumerable.Range(0, 6 * 12).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
        var report = GradientChecker.Check(network, inputs, [0, 3, 1, 2, 2, 0], 6, GradientCheckOptions.For<double>());
        Assert.True(report.Passed, report.ToString());

        var model = new AdaptedUntiedLanguageModel(new LoraOptions { Rank = 1, Alpha = 2, Targets = ["attn.c_proj"] });
        Randomize(model.Parameters, 6);
        AssertGradientsMatchCentralDifferences(model, s_tokens, s_targets, 4, 6);
    }

    [Fact]
    public void Chosen_adapters_saved_and_loaded_give_bitwise_the_same_outputs_and_another_rank_is_refused()
    {
        var trained = new AdaptedTinyLanguageModel(s_modelOptions);
        Randomize(trained.Parameters, 7);
        using var directory = new TemporaryDirectory();
        var path = directory.File("adapter_model.safetensors");
        NetworkCheckpoint.Save(trained, path);

        var loaded = new AdaptedTinyLanguageModel(s_modelOptions);
        NetworkCheckpoint.Load(loaded, path);

        Assert.Equal(Logits(trained), Logits(loaded));
        Assert.Throws<InvalidDataException>(() => NetworkCheckpoint.Load(new AdaptedTinyLanguageModel(s_modelOptions with { Rank = 5 }), path));
        Assert.Throws<InvalidDataException>(() => NetworkCheckpoint.Load(new AdaptedTinyLanguageModel(), path));
    }

    [Fact]
    public void A_training_step_with_chosen_adapters_allocates_zero_bytes()
    {
        var network = new AdaptedNetwork(s_networkOptions);
        var model = new AdaptedTinyLanguageModel(s_modelOptions);
        var networkOptimizer = new Adam<float>(ParameterLayout.For(network), new AdamOptions());
        var modelOptimizer = new AdamW<float>(ParameterLayout.For(model), new AdamWOptions());
        var (inputs, labels) = NetworkData(8);
        var outputs = new float[Batch * 4];
        var logits = new float[24 * 13];
        for (var i = 0; i < 60; i++)
        {
            Step();
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10; i++)
        {
            Step();
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);

        void Step()
        {
            network.Forward(inputs, labels, Batch);
            network.Backward();
            networkOptimizer.Step(network.Parameters, network.Gradients);
            network.Predict(inputs, outputs, Batch);
            model.Forward(s_tokens, s_targets, 4, 6);
            model.Backward();
            modelOptimizer.Step(model.Parameters, model.Gradients);
            model.Predict(s_tokens, logits, 4, 6);
        }
    }

    /// <summary>W [in, out] += (α/r)·Aᵀ·Bᵀ in plain loops, for each adapter of <paramref name="adapted"/>, into <paramref name="plain"/>'s copy of the base.</summary>
    private static void MergeByHand(IAdaptedModel<float> adapted, IModel<float> plain)
    {
        adapted.Base.Parameters.CopyTo(plain.Parameters);
        var scale = adapted.AdapterAlpha / adapted.AdapterRank;
        var tensors = adapted.Tensors;
        for (var t = 0; t < tensors.Count; t += 2)
        {
            var (a, bTransposed) = (tensors[t], tensors[t + 1]);
            var module = a.PyTorchName!["base_model.model.".Length..^".lora_A.weight".Length];
            var weight = plain.Tensors.Single(w => w.PyTorchName == module + ".weight");
            var (inputs, outputs, rank) = (weight.Shape[0], weight.Shape[1], a.Shape[0]);
            for (var i = 0; i < inputs; i++)
            {
                for (var j = 0; j < outputs; j++)
                {
                    var sum = 0.0;
                    for (var k = 0; k < rank; k++)
                    {
                        sum += (double)adapted.Parameters[a.Offset + (k * inputs) + i] * adapted.Parameters[bTransposed.Offset + (k * outputs) + j];
                    }

                    plain.Parameters[weight.Offset + (i * outputs) + j] += (float)(scale * sum);
                }
            }
        }
    }

    private static float[] Predict(INetwork<float> network, float[] inputs, int classes)
    {
        var outputs = new float[Batch * classes];
        network.Workspace.Predict(inputs, outputs, Batch);
        return outputs;
    }

    private static float[] Logits(ILanguageModel<float> model)
    {
        var logits = new float[24 * 13];
        model.Predict(s_tokens, logits, 4, 6);
        return logits;
    }

    private static (float[] Inputs, int[] Labels) NetworkData(int seed)
    {
        var random = new Random(seed);
        var inputs = Enumerable.Range(0, Batch * 12).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var labels = Enumerable.Range(0, Batch).Select(_ => random.Next(4)).ToArray();
        return (inputs, labels);
    }
}
