using FsCheck;
using FsCheck.Fluent;
using SimdDescent.Generators.Tests.Infrastructure;
using SimdDescent.IO.Checkpoints;
using SimdDescent.IO.Safetensors;
using SimdDescent.Kernels;
using SimdDescent.Networks;

namespace SimdDescent.Generators.Tests;

/// <summary>
/// Generated GPT-style language models: forward against a scalar reference written from the formulas, backward
/// against central differences for every tensor on every vector width, random architectures through the
/// generator, zero allocation, argument checks and nanoGPT-compatible safetensors files.
/// </summary>
public class LanguageModelTests
{
    private const int Vocabulary = 11;
    private const int Context = 5;
    private const int Heads = 2;

    private static readonly Lazy<CompiledNetworks> Small = new(() => CompiledNetworks.Build(
        Declaration("Tied", "double", tied: true),
        Declaration("Untied", "double", tied: false),
        Declaration("TiedFloat", "float", tied: true)));

    private static string Declaration(string name, string element, bool tied) => $$"""
        using SimdDescent.Networks;
        namespace Gpt;
        [LanguageModel(Vocabulary = {{Vocabulary}}, Context = {{Context}}, Width = 8, MaxBatch = 3, ElementType = typeof({{element}}), TiedHead = {{(tied ? "true" : "false")}})]
        [TransformerBlocks(2, Heads = {{Heads}})]
        public partial class {{name}};
        """;

    public static TheoryData<VectorPath, bool> PathsAndHeads()
    {
        var data = new TheoryData<VectorPath, bool>();
        foreach (var path in new[] { VectorPath.Scalar, VectorPath.Vector128, VectorPath.Vector256, VectorPath.Vector512 })
        {
            data.Add(path, true);
            data.Add(path, false);
        }

        return data;
    }

    private static ILanguageModel<double> Model(bool tied, ulong seed)
    {
        var model = Small.Value.CreateLanguageModel<double>(tied ? "Gpt.Tied" : "Gpt.Untied");
        LanguageModelGradients.Randomize(model, seed);
        return model;
    }

    [Theory]
    [MemberData(nameof(PathsAndHeads))]
    public void Forward_and_predict_match_the_scalar_reference(VectorPath path, bool tied)
    {
        using var forced = SimdDispatch.Force(path);
        var model = Model(tied, seed: 3);
        const int batch = 2, time = Context;
        var tokens = LanguageModelGradients.Tokens(batch * time, Vocabulary, 5);
        var targets = LanguageModelGradients.Tokens(batch * time, Vocabulary, 6);
        var reference = new GptReference(model, Heads);

        var expected = reference.Loss(tokens, targets, batch, time);
        Assert.Equal(expected, model.Forward(tokens, targets, batch, time), 1e-12);

        // A shorter time than the context reads the first rows of wpe.
        var logits = new double[batch * 3 * Vocabulary];
        model.Predict(tokens, logits, batch, 3);
        var expectedLogits = reference.Logits(tokens, batch, 3).SelectMany(row => row).ToArray();
        for (var i = 0; i < logits.Length; i++)
        {
            Assert.Equal(expectedLogits[i], logits[i], 1e-12);
        }
    }

    [Theory]
    [MemberData(nameof(PathsAndHeads))]
    public void Backward_matches_central_differences_for_every_parameter(VectorPath path, bool tied)
    {
        using var forced = SimdDispatch.Force(path);
        var model = Model(tied, seed: 7);
        const int batch = 2, time = 4;
        var tokens = LanguageModelGradients.Tokens(batch * time, Vocabulary, 8);
        var targets = LanguageModelGradients.Tokens(batch * time, Vocabulary, 9);

        var failures = LanguageModelGradients.Failures(model, tokens, targets, batch, time);

        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(20)));
        Assert.Equal(tied ? 2 + (2 * 12) + 2 : 2 + (2 * 12) + 3, model.Tensors.Count);
    }

    [Fact]
    public void A_wrong_backward_is_caught_by_the_check()
    {
        // The check must be able to fail: drop the residual stream's own gradient in the first block's MLP.
        var source = Declaration("Mutant", "double", tied: true);
        var generated = Assert.Single(GeneratorHarness.Run(source).GeneratedSources);
        const string original = "Blas.Add<double>(dx, dLnIn, dx); // dx = d(x1):";
        Assert.Contains(original, generated, StringComparison.Ordinal);
        var mutated = generated.Replace(original, "dLnIn.CopyTo(dx); //", StringComparison.Ordinal);
        var model = CompiledNetworks.BuildWithoutGenerator(source, mutated).CreateLanguageModel<double>("Gpt.Mutant");
        LanguageModelGradients.Randomize(model, 7);
        var tokens = LanguageModelGradients.Tokens(8, Vocabulary, 8);

        var failures = LanguageModelGradients.Failures(model, tokens, tokens, 2, 4, directions: 2);

        Assert.Contains(failures, f => f.StartsWith("transformer.h.0.attn.c_proj.weight", StringComparison.Ordinal));
        Assert.DoesNotContain(failures, f => f.StartsWith("transformer.h.1.", StringComparison.Ordinal));
    }

    [Fact]
    public void Random_architectures_compile_and_pass_the_gradient_check()
    {
        // 3 FsCheck cases × 3 models, each in one compilation, checked along random directions per tensor.
        var specs = LanguageModelSpec.Generator().ArrayOf(3).ToArbitrary();
        var property = Prop.ForAll(specs, batch =>
        {
            var compiled = CompiledNetworks.Build(batch.Select((s, i) => s.Render("Net" + i)).ToArray());
            for (var i = 0; i < batch.Length; i++)
            {
                var spec = batch[i];
                var model = compiled.CreateLanguageModel<double>("RandomGpt.Net" + i);
                LanguageModelGradients.Randomize(model, (ulong)spec.Seed);
                var tokens = LanguageModelGradients.Tokens(spec.Batch * spec.Time, spec.Vocabulary, (ulong)spec.Seed + 1);
                var targets = LanguageModelGradients.Tokens(spec.Batch * spec.Time, spec.Vocabulary, (ulong)spec.Seed + 2);
                var reference = new GptReference(model, spec.Heads).Loss(tokens, targets, spec.Batch, spec.Time);
                Assert.Equal(reference, model.Forward(tokens, targets, spec.Batch, spec.Time), 1e-11);
                var failures = LanguageModelGradients.Failures(model, tokens, targets, spec.Batch, spec.Time, directions: 3, (ulong)spec.Seed);
                Assert.True(failures.Count == 0, spec + "\n" + string.Join("\n", failures.Take(10)));
            }
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(3), property);
    }

    [Theory]
    [MemberData(nameof(PathsAndHeads))]
    public void The_cached_decoder_gives_bitwise_the_logits_of_a_full_forward(VectorPath path, bool tied)
    {
        // Width 8 fills one register of doubles at 512 bits: the step's one-row products still sum as the full pass's rows.
        using var forced = SimdDispatch.Force(path);
        var model = Model(tied, seed: 13);
        var tokens = LanguageModelGradients.Tokens(Context, Vocabulary, 14);
        var full = new double[Context * Vocabulary];
        model.Predict(tokens, full, 1, Context);
        var decoder = model.CreateDecoder();

        for (var round = 0; round < 2; round++)
        {
            decoder.Reset();
            for (var p = 0; p < Context; p++)
            {
                Assert.Equal(p, decoder.Position);
                var logits = decoder.Append(tokens[p]).ToArray();
                var expected = full.AsSpan(p * Vocabulary, Vocabulary).ToArray();
                Assert.Equal(expected, logits);
            }
        }

        Assert.Throws<InvalidOperationException>(() => decoder.Append(0));
        decoder.Reset();
        Assert.Throws<ArgumentOutOfRangeException>(() => decoder.Append(Vocabulary));
    }

    [Fact]
    public void Forward_and_backward_allocate_nothing_after_warm_up()
    {
        var model = Small.Value.CreateLanguageModel<float>("Gpt.TiedFloat");
        var tokens = LanguageModelGradients.Tokens(3 * Context, Vocabulary, 1);
        var targets = LanguageModelGradients.Tokens(3 * Context, Vocabulary, 2);
        var logits = new float[3 * Context * Vocabulary];
        model.Forward(tokens, targets, 3, Context);
        model.Backward();
        model.Predict(tokens, logits, 3, Context);

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 5; i++)
        {
            model.Forward(tokens, targets, 3, Context);
            model.Backward();
            model.Predict(tokens, logits, 3, Context);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void A_later_token_never_changes_an_earlier_logit()
    {
        var model = Model(tied: true, seed: 11);
        var tokens = LanguageModelGradients.Tokens(Context, Vocabulary, 12);
        var before = new double[Context * Vocabulary];
        model.Predict(tokens, before, 1, Context);

        tokens[3] = (tokens[3] + 1) % Vocabulary;
        var after = new double[Context * Vocabulary];
        model.Predict(tokens, after, 1, Context);

        Assert.Equal(before[..(3 * Vocabulary)], after[..(3 * Vocabulary)]);
        Assert.NotEqual(before[(3 * Vocabulary)..(4 * Vocabulary)], after[(3 * Vocabulary)..(4 * Vocabulary)]);
    }

    [Fact]
    public void Bad_arguments_throw_and_say_what_was_expected()
    {
        var model = Model(tied: true, seed: 1);
        int[] tokens = [1, 2, 3, 4, 5, 6];
        Assert.Throws<InvalidOperationException>(model.Backward);
        Assert.Contains("MaxBatch", Assert.Throws<ArgumentOutOfRangeException>(() => model.Forward(tokens, tokens, 4, 1)).Message, StringComparison.Ordinal);
        Assert.Contains("Context", Assert.Throws<ArgumentOutOfRangeException>(() => model.Forward(tokens, tokens, 1, Context + 1)).Message, StringComparison.Ordinal);
        Assert.Contains("batch × time = 2 × 5", Assert.Throws<ArgumentException>(() => model.Forward(tokens, tokens, 2, 5)).Message, StringComparison.Ordinal);
        Assert.Contains("targets", Assert.Throws<ArgumentException>(() => model.Forward(tokens, tokens[..2], 1, 3)).Message, StringComparison.Ordinal);
        Assert.Contains("[0, 11)", Assert.Throws<ArgumentException>(() => model.Forward([1, 11, 2], tokens, 1, 3)).Message, StringComparison.Ordinal);
        Assert.ThrowsAny<ArgumentException>(() => model.Forward(tokens, [1, -1, 2], 1, 3));
        Assert.Throws<ArgumentException>(() => model.Predict(tokens, new double[(3 * Vocabulary) - 1], 1, 3));
    }

    [Fact]
    public void Initialization_is_nanogpt_s_and_repeatable()
    {
        var a = Small.Value.CreateLanguageModel<double>("Gpt.Untied");
        var b = Small.Value.CreateLanguageModel<double>("Gpt.Untied");
        Assert.True(a.Parameters.SequenceEqual(b.Parameters));
        b.Initialize(2);
        Assert.False(a.Parameters.SequenceEqual(b.Parameters));

        foreach (var tensor in a.Tensors)
        {
            var values = a.Parameters.Slice(tensor.Offset, tensor.Length).ToArray();
            if (tensor.Name.EndsWith(".bias", StringComparison.Ordinal))
            {
                Assert.All(values, value => Assert.Equal(0.0, value));
            }
            else if (tensor.Name.Contains(".ln_", StringComparison.Ordinal))
            {
                Assert.All(values, value => Assert.Equal(1.0, value));
            }
            else
            {
                var expected = tensor.Name.EndsWith("c_proj.weight", StringComparison.Ordinal) ? 0.02 / Math.Sqrt(4) : 0.02;
                var std = Math.Sqrt(values.Average(value => value * value));
                Assert.InRange(std, expected * 0.75, expected * 1.25);
            }
        }
    }

    /// <summary>Name → shape ("rows x columns") of every tensor of nanoGPT's model at width 8, MLP 32, this vocabulary and context.</summary>
    private static Dictionary<string, string> NanoGptShapes(int blocks)
    {
        var shapes = new Dictionary<string, string>
        {
            ["transformer.wte.weight"] = $"{Vocabulary}x8",
            ["transformer.wpe.weight"] = $"{Context}x8",
            ["transformer.ln_f.weight"] = "8",
            ["transformer.ln_f.bias"] = "8",
            ["lm_head.weight"] = $"{Vocabulary}x8",
        };
        (string Name, string Shape)[] block =
        [
            ("ln_1.weight", "8"), ("ln_1.bias", "8"), ("attn.c_attn.weight", "24x8"), ("attn.c_attn.bias", "24"),
            ("attn.c_proj.weight", "8x8"), ("attn.c_proj.bias", "8"), ("ln_2.weight", "8"), ("ln_2.bias", "8"),
            ("mlp.c_fc.weight", "32x8"), ("mlp.c_fc.bias", "32"), ("mlp.c_proj.weight", "8x32"), ("mlp.c_proj.bias", "8"),
        ];
        for (var b = 0; b < blocks; b++)
        {
            foreach (var (name, shape) in block)
            {
                shapes[$"transformer.h.{b}.{name}"] = shape;
            }
        }

        return shapes;
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Safetensors_files_use_nanogpt_names_and_layouts_and_load_back_bitwise(bool tied)
    {
        var model = Model(tied, seed: 21);
        var path = Path.Combine(Path.GetTempPath(), "gpt-" + Guid.NewGuid().ToString("N") + ".safetensors");
        try
        {
            NetworkCheckpoint.Save(model, path);
            using (var file = SafetensorsFile.Open(path))
            {
                // Exactly the state_dict of nanoGPT's GPT(n_layer=2, n_embd=8, bias=True), nn.Linear weights [out, in].
                var shapes = file.Tensors.ToDictionary(t => t.Name, t => string.Join("x", t.Shape.ToArray()));
                Assert.Equal(NanoGptShapes(blocks: 2).OrderBy(p => p.Key, StringComparer.Ordinal), shapes.OrderBy(p => p.Key, StringComparer.Ordinal));

                // PyTorch's [out, in]: c_attn's row o holds the weights of output o, column o of the arena's [in, out].
                var attention = model.Tensors.Single(t => t.Name == "transformer.h.1.attn.c_attn.weight");
                var stored = new double[attention.Length];
                file.CopyTo("transformer.h.1.attn.c_attn.weight", stored);
                Assert.Equal(model.Parameters[attention.Offset + (2 * 24) + 5], stored[(5 * 8) + 2]);
            }

            var loaded = Small.Value.CreateLanguageModel<double>(tied ? "Gpt.Tied" : "Gpt.Untied");
            NetworkCheckpoint.Load(loaded, path);
            Assert.True(model.Parameters.SequenceEqual(loaded.Parameters));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
