using BenchmarkDotNet.Attributes;
using SimdDescent.Networks;
using SimdDescent.Training;
using SimdDescent.Training.Data;
using SimdDescent.Training.Optimizers;

namespace SimdDescent.Benchmarks.Training;

/// <summary>The perceptron of the data-parallel benchmark: 64 rows per shard.</summary>
[Network(Inputs = 784, MaxBatch = 64)]
[Dense(128, Activation.Relu)]
[Dense(10)]
[SoftmaxCrossEntropy]
public partial class ShardedMlp;

/// <summary>
/// Full training steps (forward, backward, reduction, clipping, Adam) of a 784-128-10 perceptron on
/// batches of 64 rows cut into 2 shards and of 256 rows cut into 4, computed by 1 or 2 threads: the
/// data-parallel speed-up. Both thread counts give bitwise identical weights.
/// </summary>
[MemoryDiagnoser]
public class DataParallelBenchmarks
{
    private const int LargestBatch = 256;
    private const int StepsPerInvocation = 4;

    private ShardedMlp _network = null!;
    private DataSet<float> _data = null!;
    private Trainer<float> _trainer = null!;

    [Params(64, 256)]
    public int Batch { get; set; }

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(3);
        var rows = LargestBatch * StepsPerInvocation;
        var inputs = new float[rows * 784];
        for (var i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (float)random.NextDouble();
        }

        var labels = Enumerable.Range(0, rows).Select(_ => random.Next(10)).ToArray();
        _data = DataSet<float>.WithLabels(inputs, labels, 784);
        _network = new ShardedMlp();
        var optimizer = new Adam<float>(_network.ParameterCount, new AdamOptions());
        _trainer = new Trainer<float>(_network, optimizer, new TrainerOptions { BatchSize = Batch, Shards = Batch == 64 ? 2 : 4, Threads = Threads, MaxGradientNorm = 5 });
    }

    [GlobalCleanup]
    public void Cleanup() => _trainer.Dispose();

    [Benchmark(OperationsPerInvoke = StepsPerInvocation)]
    public double TrainSteps()
    {
        var loss = 0.0;
        for (var s = 0; s < StepsPerInvocation; s++)
        {
            loss += _trainer.TrainBatch(_data, s * Batch, Batch);
        }

        return loss;
    }
}
