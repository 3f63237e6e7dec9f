using BenchmarkDotNet.Attributes;
using SimdDescent.Networks;
using SimdDescent.Training.Optimizers;

namespace SimdDescent.Benchmarks.Training;

/// <summary>The byte-level GPT of train-lm (842,496 parameters), fully trainable.</summary>
[LanguageModel(Vocabulary = 256, Context = 128, Width = 128, MaxBatch = 16)]
[TransformerBlocks(4, Heads = 4)]
public partial class FineTuningGpt;

/// <summary>The same GPT with rank-4 adapters (α 8) on every block's c_attn, attn.c_proj, c_fc and mlp.c_proj, the base frozen.</summary>
[LanguageModel(Vocabulary = 256, Context = 128, Width = 128, MaxBatch = 16)]
[TransformerBlocks(4, Heads = 4)]
[LoraAdapters(Rank = 4, Alpha = 8)]
public partial class FineTuningGptLora;

/// <summary>
/// One AdamW fine-tuning step (forward, backward, optimizer) of the GPT on 16 windows of 128 bytes: every parameter
/// trained, against LoRA adapters on a frozen base (no weight-gradient GEMMs, no embedding or LayerNorm gradients,
/// optimizer state for the adapters only). Both in the same run, so the ratio is what to read.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class FineTuningBenchmarks
{
    private const int Batch = 16, Context = 128;

    private readonly int[] _tokens = new int[Batch * Context];
    private readonly int[] _targets = new int[Batch * Context];
    private FineTuningGpt _full = null!;
    private FineTuningGptLora _lora = null!;
    private AdamW<float> _fullOptimizer = null!;
    private AdamW<float> _loraOptimizer = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(5);
        for (var i = 0; i < _tokens.Length; i++)
        {
            _tokens[i] = random.Next(256);
            _targets[i] = random.Next(256);
        }

        _full = new FineTuningGpt();
        _lora = new FineTuningGptLora();
        _fullOptimizer = new AdamW<float>(ParameterLayout.For(_full), new AdamWOptions());
        _loraOptimizer = new AdamW<float>(ParameterLayout.For(_lora), new AdamWOptions());
    }

    [Benchmark(Baseline = true)]
    public float FullStep() => Step(_full, _fullOptimizer);

    [Benchmark]
    public float LoraStep() => Step(_lora, _loraOptimizer);

    private float Step(ILanguageModel<float> model, AdamW<float> optimizer)
    {
        var loss = model.Forward(_tokens, _targets, Batch, Context);
        model.Backward();
        optimizer.Step(model.Parameters, model.Gradients);
        return loss;
    }
}
