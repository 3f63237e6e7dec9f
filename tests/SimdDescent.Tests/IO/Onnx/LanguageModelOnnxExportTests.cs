using System.Numerics;
using Microsoft.ML.OnnxRuntime;
using SimdDescent.IO.Onnx;
using SimdDescent.Networks;
using SimdDescent.Tests.Networks;

namespace SimdDescent.Tests.IO.Onnx;

/// <summary>
/// Exported GPTs run in ONNX Runtime and give the logits Predict gives on random token batches of several lengths,
/// with tied and untied heads; parameters are randomized so that biases, LayerNorm shifts and scales all matter.
/// </summary>
public class LanguageModelOnnxExportTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(3, 4)]
    [InlineData(4, 6)]
    public void Tied_model_matches_Predict(int batch, int time) =>
        AssertSameLogits(new TinyLanguageModel(), heads: 4, batch, time, seed: (batch * 10) + time);

    [Theory]
    [InlineData(2, 5)]
    [InlineData(4, 6)]
    public void Untied_double_model_matches_Predict(int batch, int time) =>
        AssertSameLogits(new UntiedLanguageModel(), heads: 4, batch, time, seed: time);

    [Theory]
    [InlineData(7)]
    [InlineData(128)]
    public void Benchmark_sized_model_matches_Predict(int time) =>
        AssertSameLogits(new BenchmarkSizedLanguageModel(), heads: 4, batch: 1, time, seed: time);

    [Fact]
    public void Adapted_model_is_rejected_and_its_merged_base_exports_the_adapted_logits()
    {
        var adapted = new AdaptedTinyLanguageModel();
        var random = new Random(5);
        foreach (ref var parameter in adapted.Parameters)
        {
            parameter = (float)(random.NextDouble() - 0.5);
        }

        Assert.Throws<ArgumentException>(() => LanguageModelOnnxExporter.Export(adapted, heads: 4));

        int[] tokens = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8];
        var expected = new float[tokens.Length * adapted.Vocabulary];
        adapted.Predict(tokens, expected, 2, 6);
        adapted.MergeAdapters();
        var plain = new TinyLanguageModel();
        adapted.Base.Parameters.CopyTo(plain.Parameters);

        using var session = new InferenceSession(LanguageModelOnnxExporter.Export(plain, heads: 4));
        using var input = OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(tokens, static t => (long)t), [2, 6]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [LanguageModelOnnxExporter.InputName], [input], [LanguageModelOnnxExporter.OutputName]);
        var actual = outputs[0].GetTensorDataAsSpan<float>();
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-4f * (1 + Math.Abs(expected[i])), $"logit {i}: ONNX Runtime {actual[i]}, adapted Predict {expected[i]}");
        }
    }

    [Fact]
    public void Model_declares_int64_tokens_and_symbolic_batch_and_time()
    {
        using var session = new InferenceSession(LanguageModelOnnxExporter.Export(new TinyLanguageModel(), heads: 4));
        var input = Assert.Single(session.InputMetadata);
        var output = Assert.Single(session.OutputMetadata);
        Assert.Equal("tokens", input.Key);
        Assert.Equal(typeof(long), input.Value.ElementType);
        Assert.Equal([-1, -1], input.Value.Dimensions);
        Assert.Equal(["batch", "time"], input.Value.SymbolicDimensions);
        Assert.Equal("logits", output.Key);
        Assert.Equal([-1, -1, 13], output.Value.Dimensions);
    }

    [Fact]
    public void Weights_are_stored_once_under_nanoGPT_names()
    {
        var model = new TinyLanguageModel();
        using var directory = new TemporaryDirectory();
        var path = directory.File("gpt.onnx");
        LanguageModelOnnxExporter.Save(model, heads: 4, path);
        var bytes = File.ReadAllBytes(path);
        // The parameters, the [context, context] mask and a few small constants: the tied head adds no copy.
        var mask = model.Context * model.Context * sizeof(float);
        Assert.InRange(bytes.Length, (model.ParameterCount * sizeof(float)) + mask, (model.ParameterCount * sizeof(float)) + mask + 8192);
        var text = System.Text.Encoding.ASCII.GetString(bytes);
        Assert.Contains("transformer.h.1.attn.c_attn.weight", text, StringComparison.Ordinal);
        Assert.DoesNotContain("lm_head.weight", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(-4)]
    public void Head_count_that_does_not_divide_the_width_is_rejected(int heads)
    {
        var error = Assert.Throws<ArgumentException>(() => LanguageModelOnnxExporter.Export(new TinyLanguageModel(), heads));
        Assert.Contains("divides the width 16", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_positive_epsilon_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => LanguageModelOnnxExporter.Export(new TinyLanguageModel(), 4, epsilon: 0));
        Assert.Contains("epsilon", error.Message, StringComparison.Ordinal);
    }

    private static void AssertSameLogits<T>(ILanguageModel<T> model, int heads, int batch, int time, int seed)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var random = new Random(seed);
        foreach (ref var parameter in model.Parameters)
        {
            parameter = T.CreateTruncating((random.NextDouble() - 0.5) * 0.8);
        }

        var tokens = new int[batch * time];
        foreach (ref var token in tokens.AsSpan())
        {
            token = random.Next(model.Vocabulary);
        }

        var expected = new T[batch * time * model.Vocabulary];
        model.Predict(tokens, expected, batch, time);

        using var session = new InferenceSession(LanguageModelOnnxExporter.Export(model, heads));
        using var input = OrtValue.CreateTensorValueFromMemory(Array.ConvertAll(tokens, static t => (long)t), [batch, time]);
        using var runOptions = new RunOptions();
        using var outputs = session.Run(runOptions, [LanguageModelOnnxExporter.InputName], [input], [LanguageModelOnnxExporter.OutputName]);
        var actual = outputs[0].GetTensorDataAsSpan<T>().ToArray();
        Assert.Equal([batch, time, model.Vocabulary], outputs[0].GetTensorTypeAndShape().Shape);

        var v = model.Vocabulary;
        for (var row = 0; row < batch * time; row++)
        {
            // Relative to the position's largest logit: the two sides sum in different orders.
            var scale = 0.0;
            for (var j = 0; j < v; j++)
            {
                scale = Math.Max(scale, Math.Abs(double.CreateTruncating(expected[(row * v) + j])));
            }

            for (var j = 0; j < v; j++)
            {
                var i = (row * v) + j;
                var difference = Math.Abs(double.CreateTruncating(actual[i] - expected[i]));
                Assert.True(difference <= 1e-5 * scale, $"position {row}, token {j}: ONNX Runtime {actual[i]}, Predict {expected[i]}, |Δ| {difference:E2} > 1e-5 × {scale:G4}");
            }
        }
    }
}
