using BenchmarkDotNet.Attributes;
using SimdDescent.Benchmarks.Networks;
using SimdDescent.Kernels;
using SimdDescent.Training.Clipping;
using SimdDescent.Training.Optimizers;

namespace SimdDescent.Benchmarks.Training;

/// <summary>
/// One training step of <see cref="BenchmarkGpt"/>, as benchmarks/peers/pytorch_gpt.py's <c>step</c> command times it:
/// 16 windows of 128 tokens (2,048 tokens), forward, backward, clipping to norm 1, AdamW. It runs on 1, 2, 4, … threads
/// up to the machine's processors
/// (<see cref="Gemm.MaxThreads"/>: the products split over blocks of C, attention over its (batch, head) pairs).
/// Before timing, each thread count trains three steps from the same weights and must end with bitwise the
/// weights one thread reaches, or the benchmark stops.
/// </summary>
[MemoryDiagnoser]
public class GptStepBenchmarks
{
    private const int Batch = 16, Context = 128;

    private readonly BenchmarkGpt _model = new();
    private readonly int[] _tokens = BenchmarkGpt.RandomTokens(Batch * Context, 3);
    private readonly int[] _targets = BenchmarkGpt.RandomTokens(Batch * Context, 4);
    private AdamW<float> _adamW = null!;

    [ParamsSource(nameof(ThreadCounts))]
    public int Threads { get; set; }

    public static IEnumerable<int> ThreadCounts()
    {
        for (var threads = 1; threads < Environment.ProcessorCount; threads *= 2)
        {
            yield return threads;
        }

        yield return Environment.ProcessorCount;
    }

    [GlobalSetup]
    public void Setup()
    {
        var reference = TrainedWeights(1);
        if (!TrainedWeights(Threads).AsSpan().SequenceEqual(reference))
        {
            throw new InvalidOperationException($"{Threads} threads trained other weights than one thread.");
        }

        SimdDescent.Kernels.Gemm.MaxThreads = Threads;
        _model.Initialize(1337);
        _adamW = NewAdamW();
    }

    [GlobalCleanup]
    public void Cleanup() => SimdDescent.Kernels.Gemm.MaxThreads = 1;

    [Benchmark]
    public float TrainingStep() => Step(_model, _adamW);

    private float[] TrainedWeights(int threads)
    {
        SimdDescent.Kernels.Gemm.MaxThreads = threads;
        _model.Initialize(1337);
        var adamW = NewAdamW();
        for (var s = 0; s < 3; s++)
        {
            Step(_model, adamW);
        }

        return _model.Parameters.ToArray();
    }

    private float Step(BenchmarkGpt model, AdamW<float> adamW)
    {
        var loss = model.Forward(_tokens, _targets, Batch, Context);
        model.Backward();
        GradientClipping.ClipByGlobalNorm(model.Gradients, 1.0);
        adamW.Step(model.Parameters, model.Gradients);
        return loss;
    }

    private AdamW<float> NewAdamW() =>
        new(_model.ParameterCount, new AdamWOptions { LearningRate = 1e-4, Beta1 = 0.9, Beta2 = 0.95, Epsilon = 1e-8, WeightDecay = 0.1 });
}
