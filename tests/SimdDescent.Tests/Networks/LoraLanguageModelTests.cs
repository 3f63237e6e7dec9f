using SimdDescent.IO.Checkpoints;
using SimdDescent.Kernels;
using SimdDescent.Networks;
using static SimdDescent.Tests.Networks.AdapterTestValues;
using SimdDescent.Tests.IO;
using SimdDescent.Tests.Support;
using SimdDescent.Training.Optimizers;

namespace SimdDescent.Tests.Networks;

/// <summary>Generated GPTs with LoRA adapters against their base model, merged against unmerged, decoded, trained and checked.</summary>
[Collection(nameof(AllocationMeasurementCollection))]
public class LoraLanguageModelTests
{
    private static readonly int[] s_tokens = [1, 5, 7, 2, 12, 0, 3, 3, 9, 4, 11, 6, 8, 2, 2, 5, 1, 0, 10, 7, 4, 6, 12, 9];
    private static readonly int[] s_targets = [.. s_tokens.Skip(1).Append(0)];

    [Fact]
    public void While_B_is_zero_the_adapted_model_is_bitwise_its_base()
    {
        var plain = new TinyLanguageModel();
        var adapted = new AdaptedTinyLanguageModel();

        Assert.Equal(plain.Parameters.ToArray(), adapted.BaseParameters.ToArray());
        Assert.Equal(plain.Tensors.Select(t => t.PyTorchName), adapted.BaseTensors.Select(t => t.PyTorchName));
        Assert.Equal(Predict(plain), Predict(adapted));
    }

    [Fact]
    public void Adapters_carry_PEFTs_names_and_only_the_targeted_maps_get_one()
    {
        var all = new AdaptedTinyLanguageModel();
        var attention = new AdaptedUntiedLanguageModel();

        Assert.Equal(2 * 4 * 2, all.Tensors.Count);
        Assert.Contains(all.Tensors, t => t.PyTorchName == "base_model.model.transformer.h.1.mlp.c_fc.lora_A.weight" && t.Shape.SequenceEqual([4, 16]));
        Assert.Contains(all.Tensors, t => t.PyTorchName == "base_model.model.transformer.h.0.attn.c_attn.lora_B.weight" && t.Shape.SequenceEqual([4, 48]) && t.TransposedInPyTorch);
        Assert.Equal(
            ["attn.c_attn", "attn.c_proj", "mlp.c_proj"],
            attention.Tensors.Select(t => t.PyTorchName!.Split('.')[5] + "." + t.PyTorchName.Split('.')[6]).Distinct().Order());
        Assert.Equal(2 * ((2 * 16) + (48 * 2) + (2 * 16) + (16 * 2) + (2 * 32) + (16 * 2)), attention.ParameterCount);
    }

    [Fact]
    public void Merged_equals_unmerged_and_the_cached_decoder_agrees()
    {
        var model = new AdaptedTinyLanguageModel();
        Randomize(model.Parameters, 1);
        var unmerged = Predict(model);
        Assert.NotEqual(Predict(new TinyLanguageModel()), unmerged);

        var decoder = model.CreateDecoder();
        for (var t = 0; t < 6; t++)
        {
            var logits = decoder.Append(s_tokens[t]).ToArray();
            AssertClose(unmerged.AsSpan(t * 13, 13).ToArray(), logits, 1e-5f);
        }

        model.MergeAdapters();
        AssertClose(unmerged, Predict(model), 1e-5f);
        Assert.Throws<InvalidOperationException>(() => { model.Forward(s_tokens, s_targets, 4, 6); model.Backward(); });
        model.UnmergeAdapters();
        AssertClose(unmerged, Predict(model), 1e-5f);
    }

    [Fact]
    public void Training_moves_the_adapters_and_leaves_the_frozen_base_bitwise_unchanged()
    {
        var model = new AdaptedTinyLanguageModel();
        var baseWeights = model.BaseParameters.ToArray();

        var (first, loss, optimizer) = TrainOnOneBatch(model, s_tokens, s_targets);

        Assert.True(loss < first * 0.95f, $"loss {first} → {loss}"); // a random frozen base leaves the adapters little to steer
        Assert.Equal(baseWeights, model.BaseParameters.ToArray());
        Assert.Equal(model.ParameterCount, optimizer.GetState("exp_avg").Length);
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Adapter_gradients_match_central_differences(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        var model = new AdaptedUntiedLanguageModel();
        Randomize(model.Parameters, 2);
        AssertGradientsMatchCentralDifferences(model, s_tokens, s_targets, 4, 6);
    }

    [Fact]
    public void Adapters_saved_and_loaded_give_bitwise_the_same_logits()
    {
        var trained = new AdaptedTinyLanguageModel();
        Randomize(trained.Parameters, 3);
        using var directory = new TemporaryDirectory();
        var path = directory.File("adapter_model.safetensors");
        NetworkCheckpoint.Save(trained, path);

        var loaded = new AdaptedTinyLanguageModel();
        NetworkCheckpoint.Load(loaded, path);

        Assert.Equal(Predict(trained), Predict(loaded));
    }

    [Fact]
    public void A_pretrained_base_loads_through_Base_and_the_merged_model_saves_as_a_plain_one()
    {
        var pretrained = new TinyLanguageModel();
        pretrained.Initialize(11);
        using var directory = new TemporaryDirectory();
        var basePath = directory.File("base.safetensors");
        NetworkCheckpoint.Save(pretrained, basePath);

        IAdaptedModel<float> adapted = new AdaptedTinyLanguageModel();
        NetworkCheckpoint.Load(adapted.Base, basePath);
        Assert.Equal(Predict(pretrained), Predict((ILanguageModel<float>)adapted));

        Randomize(adapted.Parameters, 4);
        var withAdapters = Predict((ILanguageModel<float>)adapted);
        adapted.MergeAdapters();
        var mergedPath = directory.File("merged.safetensors");
        NetworkCheckpoint.Save(adapted.Base, mergedPath);
        var plain = new TinyLanguageModel();
        NetworkCheckpoint.Load(plain, mergedPath);
        AssertClose(withAdapters, Predict(plain), 1e-5f);
    }

    [Fact]
    public void On_the_benchmark_gpt_adam_state_is_under_five_percent_of_full_fine_tuning()
    {
        var full = new BenchmarkSizedLanguageModel();
        var adapted = new AdaptedBenchmarkSizedLanguageModel();
        var fullState = new AdamW<float>(ParameterLayout.For(full), new AdamWOptions()).GetState("exp_avg").Length * 2;
        var adapterState = new AdamW<float>(ParameterLayout.For(adapted), new AdamWOptions()).GetState("exp_avg").Length * 2;

        // 4 blocks × (c_attn 4·128 + 384·4, attn.c_proj 4·128 + 128·4, c_fc 4·128 + 512·4, mlp.c_proj 4·512 + 128·4)
        Assert.Equal(32_768, adapted.ParameterCount);
        Assert.Equal(842_496, full.ParameterCount);
        Assert.Equal(full.ParameterCount, ((IAdaptedModel<float>)adapted).Base.ParameterCount);
        Assert.True(adapterState < 0.05 * fullState, $"{adapterState} vs {fullState}");
        Assert.Equal(adapted.ParameterCount, adapted.Gradients.Length);
    }

    [Fact]
    public void An_adapter_training_step_allocates_zero_bytes()
    {
        var model = new AdaptedTinyLanguageModel();
        var optimizer = new AdamW<float>(ParameterLayout.For(model), new AdamWOptions());
        var logits = new float[24 * 13];
        for (var i = 0; i < 50; i++)
        {
            Step(model, optimizer, logits);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10; i++)
        {
            Step(model, optimizer, logits);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void Step(AdaptedTinyLanguageModel model, AdamW<float> optimizer, float[] logits)
    {
        model.Forward(s_tokens, s_targets, 4, 6);
        model.Backward();
        optimizer.Step(model.Parameters, model.Gradients);
        model.Predict(s_tokens, logits, 4, 6);
    }

    private static float[] Predict(ILanguageModel<float> model)
    {
        var logits = new float[24 * 13];
        model.Predict(s_tokens, logits, 4, 6);
        return logits;
    }
}
