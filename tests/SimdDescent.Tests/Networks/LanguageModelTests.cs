using SimdDescent.IO.Checkpoints;
using SimdDescent.Kernels;
using SimdDescent.Randomness;
using SimdDescent.IO.Safetensors;
using SimdDescent.Networks;
using SimdDescent.Tests.IO;
using SimdDescent.Tests.Support;
using SimdDescent.Training.Optimizers;

namespace SimdDescent.Tests.Networks;

/// <summary>Generated language models built by this project's own compilation: optimizers, allocation, files.</summary>
[Collection(nameof(AllocationMeasurementCollection))]
public class LanguageModelTests
{
    private static readonly int[] s_tokens = [1, 5, 7, 2, 12, 0, 3, 3, 9, 4, 11, 6, 8, 2, 2, 5, 1, 0, 10, 7, 4, 6, 12, 9];

    [Fact]
    public void Adamw_over_the_arena_learns_a_fixed_batch()
    {
        ILanguageModel<float> model = new TinyLanguageModel();
        var targets = s_tokens.Skip(1).Append(0).ToArray();
        var optimizer = new AdamW<float>(ParameterLayout.For(model), new AdamWOptions { LearningRate = 1e-2 });
        var first = model.Forward(s_tokens, targets, 4, 6);
        var loss = first;
        for (var step = 0; step < 60; step++)
        {
            model.Backward();
            optimizer.Step(model.Parameters, model.Gradients);
            loss = model.Forward(s_tokens, targets, 4, 6);
        }

        // Uniform guessing over 13 tokens costs ln 13 ≈ 2.56 nats; 24 memorized targets cost far less.
        Assert.InRange(first, 2.3f, 2.8f);
        Assert.True(loss < 0.5f, $"loss {first} → {loss}");
    }

    [Fact]
    public void Forward_backward_and_predict_allocate_zero_bytes()
    {
        var model = new TinyLanguageModel();
        var logits = new float[24 * 13];
        for (var i = 0; i < 50; i++)
        {
            model.Forward(s_tokens, s_tokens, 4, 6);
            model.Backward();
            model.Predict(s_tokens, logits, 4, 6);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10; i++)
        {
            model.Forward(s_tokens, s_tokens, 4, 6);
            model.Backward();
            model.Predict(s_tokens, logits, 2, 5);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Workspaces_share_parameters_and_agree_bitwise()
    {
        var model = new UntiedLanguageModel();
        var other = model.CreateWorkspace();
        var loss = model.Forward(s_tokens, s_tokens, 4, 6);
        model.Backward();
        Assert.Equal(loss, other.Forward(s_tokens, s_tokens, 4, 6));
        other.Backward();
        Assert.True(model.Gradients.SequenceEqual(other.Gradients));
    }

    [Fact]
    public void A_tied_head_is_saved_under_both_names_and_loads_when_the_copy_is_left_out()
    {
        var model = new TinyLanguageModel();
        model.Initialize(7);
        using var directory = new TemporaryDirectory();
        var path = directory.File("tied.safetensors");
        NetworkCheckpoint.Save(model, path);

        var wte = new float[13 * 16];
        var head = new float[13 * 16];
        using (var file = SafetensorsFile.Open(path))
        {
            file.CopyTo("transformer.wte.weight", wte);
            file.CopyTo("lm_head.weight", head);
            Assert.Equal(model.Tensors.Count + 1, file.Tensors.Count);
        }

        Assert.Equal(wte, head);
        Assert.Equal(model.Parameters[..wte.Length].ToArray(), wte);

        var withoutCopy = directory.File("without-copy.safetensors");
        var writer = new SafetensorsWriter();
        using (var file = SafetensorsFile.Open(path))
        {
            foreach (var tensor in file.Tensors.Where(t => t.Name != "lm_head.weight"))
            {
                var data = new float[tensor.Shape.ToArray().Aggregate(1, (a, b) => a * b)];
                file.CopyTo(tensor.Name, data);
                writer.Add(tensor.Name, tensor.Shape.ToArray(), new ReadOnlyMemory<float>(data));
            }
        }

        writer.Save(withoutCopy);
        var loaded = new TinyLanguageModel();
        NetworkCheckpoint.Load(loaded, withoutCopy);
        Assert.True(model.Parameters.SequenceEqual(loaded.Parameters));
    }

    [Fact]
    public void A_training_checkpoint_resumes_bitwise()
    {
        var targets = s_tokens.Skip(1).Append(0).ToArray();
        var model = new TinyLanguageModel();
        var optimizer = new AdamW<float>(ParameterLayout.For(model), new AdamWOptions { LearningRate = 1e-2 });
        using var directory = new TemporaryDirectory();
        var path = directory.File("training.safetensors");
        for (var step = 0; step < 6; step++)
        {
            if (step == 3)
            {
                TrainingCheckpoint.Save(path, model, optimizer, new TrainingPosition(0, step, 0));
            }

            model.Forward(s_tokens, targets, 4, 6);
            model.Backward();
            optimizer.Step(model.Parameters, model.Gradients);
        }

        var resumed = new TinyLanguageModel();
        resumed.Initialize(99);
        var resumedOptimizer = new AdamW<float>(ParameterLayout.For(resumed), new AdamWOptions { LearningRate = 1e-2 });
        Assert.Equal(3, TrainingCheckpoint.Load(path, resumed, resumedOptimizer).Steps);
        for (var step = 3; step < 6; step++)
        {
            resumed.Forward(s_tokens, targets, 4, 6);
            resumed.Backward();
            resumedOptimizer.Step(resumed.Parameters, resumed.Gradients);
        }

        Assert.True(model.Parameters.SequenceEqual(resumed.Parameters));
    }

    [Fact]
    public void A_tied_copy_that_differs_is_rejected_and_nothing_changes()
    {
        var model = new TinyLanguageModel();
        using var directory = new TemporaryDirectory();
        var path = directory.File("differs.safetensors");
        var writer = new SafetensorsWriter();
        foreach (var tensor in model.Tensors)
        {
            var data = model.Parameters.Slice(tensor.Offset, tensor.Length).ToArray();
            var shape = tensor.Shape.Length == 2 && tensor.TransposedInPyTorch ? new[] { tensor.Shape[1], tensor.Shape[0] } : tensor.Shape.ToArray();
            writer.Add(tensor.Name, shape, new ReadOnlyMemory<float>(data));
            if (tensor.TiedPyTorchName is { } tied)
            {
                data = (float[])data.Clone();
                data[3] += 1;
                writer.Add(tied, shape, new ReadOnlyMemory<float>(data));
            }
        }

        writer.Save(path);
        var target = new TinyLanguageModel();
        target.Initialize(9);
        var before = target.Parameters.ToArray();

        var error = Assert.Throws<InvalidDataException>(() => NetworkCheckpoint.Load(target, path));

        Assert.Contains("lm_head.weight", error.Message, StringComparison.Ordinal);
        Assert.Contains("different values", error.Message, StringComparison.Ordinal);
        Assert.True(target.Parameters.SequenceEqual(before));
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void The_cached_decoder_of_the_benchmark_model_is_bitwise_the_packed_full_forward(VectorPath path)
    {
        // Every product here is at least 128 wide, and the full forward is forced onto the packed GEMM with its
        // k-blocking: the decoder's one-row products still sum each element in the same order.
        using var forced = SimdDispatch.Force(path);
        var model = new BenchmarkSizedLanguageModel();
        var random = new SplitMix64(3);
        var tokens = Enumerable.Range(0, 128).Select(_ => random.NextInt32(256)).ToArray();
        var full = new float[128 * 256];
        Gemm.ForcePacking = true;
        try
        {
            model.Predict(tokens, full, 1, 128);
        }
        finally
        {
            Gemm.ForcePacking = null;
        }

        var decoder = model.CreateDecoder();
        for (var p = 0; p < 128; p++)
        {
            var logits = decoder.Append(tokens[p]);
            Assert.True(logits.SequenceEqual(full.AsSpan(p * 256, 256)), "position " + p);
        }
    }

    [Fact]
    public void The_decoder_reads_the_tied_table_again_for_each_sequence()
    {
        // The head's transposed table is a snapshot taken at position 0: after the embedding changes, a new
        // sequence must see the new table, exactly as a full forward does.
        var model = new BenchmarkSizedLanguageModel();
        model.Initialize(5);
        var decoder = model.CreateDecoder();
        decoder.Append(s_tokens[0]);
        model.Parameters[..(256 * 128)].Reverse();

        decoder.Reset();
        var full = new float[3 * 256];
        model.Predict(s_tokens.AsSpan(0, 3), full, 1, 3);
        for (var p = 0; p < 3; p++)
        {
            Assert.True(decoder.Append(s_tokens[p]).SequenceEqual(full.AsSpan(p * 256, 256)), "position " + p);
        }
    }

    [Fact]
    public void Truncating_the_decoder_continues_the_kept_prefix()
    {
        var model = new BenchmarkSizedLanguageModel();
        model.Initialize(6);
        var decoder = model.CreateDecoder();
        foreach (var token in s_tokens[..5])
        {
            decoder.Append(token);
        }

        decoder.Truncate(2);
        Assert.Equal(2, decoder.Position);
        int[] other = [s_tokens[0], s_tokens[1], 200, 31];
        var full = new float[other.Length * 256];
        model.Predict(other, full, 1, other.Length);
        for (var p = 2; p < other.Length; p++)
        {
            Assert.True(decoder.Append(other[p]).SequenceEqual(full.AsSpan(p * 256, 256)), "position " + p);
        }

        Assert.Throws<ArgumentOutOfRangeException>(() => decoder.Truncate(5));
        Assert.Throws<ArgumentOutOfRangeException>(() => decoder.Truncate(-1));
        Assert.Equal(4, decoder.Position);
    }

    [Fact]
    public void A_cached_token_allocates_nothing()
    {
        var decoder = new TinyLanguageModel().CreateDecoder();
        for (var i = 0; i < 50; i++)
        {
            decoder.Reset();
            for (var p = 0; p < 6; p++)
            {
                decoder.Append(s_tokens[p]);
            }
        }

        decoder.Reset();
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var p = 0; p < 6; p++)
        {
            decoder.Append(s_tokens[p]);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
