using BenchmarkDotNet.Attributes;
using SimdDescent.Networks;
using SimdDescent.Training.Optimizers;

namespace SimdDescent.Benchmarks.Training;

/// <summary>784 → 128 ReLU → 10, sized for the largest benchmarked batch.</summary>
[Network(Inputs = 784, MaxBatch = 256)]
[Dense(128, Activation.Relu)]
[Dense(10)]
[SoftmaxCrossEntropy]
public partial class StepMlp;

/// <summary>The classic seed model, 784 → 10 ReLU → 10.</summary>
[Network(Inputs = 784, MaxBatch = 256)]
[Dense(10, Activation.Relu)]
[Dense(10)]
[SoftmaxCrossEntropy]
public partial class SeedMlp;

/// <summary>
/// One full training step (forward, backward, SGD update over the flat arena) on one thread: the figure
/// the issue compares with TorchSharp (590 µs at batch 64, 271 µs at batch 1) and PyTorch. Each step
/// takes the next batch from 4,096 rows with random labels, as an epoch would: stepping on one batch
/// over and over lets the network memorize it, and the vanishing gradients turn subnormal, whose
/// arithmetic is many times slower — a figure no real training run would see.
/// </summary>
[MemoryDiagnoser]
public class TrainingStepBenchmarks
{
    private readonly StepMlp _mlp = new();
    private readonly SeedMlp _seed = new();
    private const int Rows = 4096;
    private readonly float[] _inputs = new float[Rows * 784];
    private readonly int[] _labels = new int[Rows];
    private int _nextRow;
    private Sgd<float> _mlpSgd = null!;
    private Sgd<float> _seedSgd = null!;

    [Params(1, 32, 64, 256)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(5);
        for (var i = 0; i < _inputs.Length; i++)
        {
            _inputs[i] = (float)random.NextDouble();
        }

        for (var i = 0; i < _labels.Length; i++)
        {
            _labels[i] = random.Next(10);
        }

        _mlpSgd = new Sgd<float>(_mlp.ParameterCount, new SgdOptions { LearningRate = 0.01 });
        _seedSgd = new Sgd<float>(_seed.ParameterCount, new SgdOptions { LearningRate = 0.01 });
    }

    [Benchmark(Baseline = true)]
    public float Step_784_128_10()
    {
        var first = NextBatch();
        var loss = _mlp.Forward(_inputs.AsSpan(first * 784, Batch * 784), _labels.AsSpan(first, Batch), Batch);
        _mlp.Backward();
        _mlpSgd.Step(_mlp.Parameters, _mlp.Gradients);
        return loss;
    }

    [Benchmark]
    public float Step_784_10_10()
    {
        var first = NextBatch();
        var loss = _seed.Forward(_inputs.AsSpan(first * 784, Batch * 784), _labels.AsSpan(first, Batch), Batch);
        _seed.Backward();
        _seedSgd.Step(_seed.Parameters, _seed.Gradients);
        return loss;
    }

    private int NextBatch()
    {
        var first = _nextRow;
        _nextRow = first + (2 * Batch) > Rows ? 0 : first + Batch;
        return first;
    }
}
