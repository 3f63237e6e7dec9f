using BenchmarkDotNet.Attributes;
using SimdDescent.Benchmarks.Networks;
using SimdDescent.Training.Clipping;
using SimdDescent.Training.Optimizers;

namespace SimdDescent.Benchmarks.Training;

/// <summary>
/// One training step of <see cref="BenchmarkGpt"/> on one thread, as benchmarks/peers/pytorch_gpt.py's <c>step</c>
/// command times it: 16 windows of 128 tokens (2,048 tokens), forward, backward, clipping to norm 1, AdamW.
/// </summary>
[MemoryDiagnoser]
public class GptStepBenchmarks
{
    private const int Batch = 16, Context = 128;

    private readonly BenchmarkGpt _model = new();
    private readonly int[] _tokens = BenchmarkGpt.RandomTokens(Batch * Context, 3);
    private readonly int[] _targets = BenchmarkGpt.RandomTokens(Batch * Context, 4);
    private AdamW<float> _adamW = null!;

    [GlobalSetup]
    public void Setup()
    {
        _model.Initialize(1337);
        _adamW = new AdamW<float>(_model.ParameterCount, new AdamWOptions { LearningRate = 1e-4, Beta1 = 0.9, Beta2 = 0.95, Epsilon = 1e-8, WeightDecay = 0.1 });
    }

    [Benchmark]
    public float TrainingStep()
    {
        var loss = _model.Forward(_tokens, _targets, Batch, Context);
        _model.Backward();
        GradientClipping.ClipByGlobalNorm(_model.Gradients, 1.0);
        _adamW.Step(_model.Parameters, _model.Gradients);
        return loss;
    }
}
