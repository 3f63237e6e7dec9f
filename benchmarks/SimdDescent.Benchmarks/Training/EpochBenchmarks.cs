using BenchmarkDotNet.Attributes;
using SimdDescent.Training;
using SimdDescent.Training.Data;
using SimdDescent.Training.Optimizers;

namespace SimdDescent.Benchmarks.Training;

/// <summary>
/// A whole epoch over 60,000 samples (Fashion-MNIST-sized, synthetic pixels) at batch 64 through the
/// trainer — shuffling, 938 steps, SGD — on 1 and 2 threads. With 2 threads each batch is cut into 2
/// shards of 32 rows; the shard count is fixed, so both thread counts give identical weights.
/// </summary>
[MemoryDiagnoser]
[SimpleJob(launchCount: 1, warmupCount: 1, iterationCount: 5)]
public class EpochBenchmarks
{
    private const int Rows = 60_000;
    private DataSet<float> _data = null!;
    private StepMlp _network = null!;
    private Trainer<float> _trainer = null!;

    [Params(1, 2)]
    public int Threads { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(9);
        var inputs = new float[Rows * 784];
        for (var i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (float)random.NextDouble();
        }

        var labels = Enumerable.Range(0, Rows).Select(_ => random.Next(10)).ToArray();
        _data = DataSet<float>.WithLabels(inputs, labels, 784);
        _network = new StepMlp();
        var sgd = new Sgd<float>(_network.ParameterCount, new SgdOptions { LearningRate = 0.01 });
        _trainer = new Trainer<float>(_network, sgd, new TrainerOptions { Epochs = 1, BatchSize = 64, Shards = 2, Threads = Threads });
    }

    [GlobalCleanup]
    public void Cleanup() => _trainer.Dispose();

    [Benchmark]
    public TrainingResult Epoch() => _trainer.Fit(_data);
}
