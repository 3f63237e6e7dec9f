using BenchmarkDotNet.Attributes;
using SimdDescent.Networks;

namespace SimdDescent.Benchmarks.Networks;

/// <summary>The Fashion-MNIST reference model (784 → 128 ReLU → 10, softmax cross-entropy).</summary>
[Network(Inputs = 784, MaxBatch = 64)]
[Dense(128, Activation.Relu)]
[Dense(10)]
[SoftmaxCrossEntropy]
public partial class FashionMlp;

/// <summary>One training step's passes and inference of the generated network, batch 64.</summary>
[MemoryDiagnoser]
public class NetworkBenchmarks
{
    private const int Batch = 64;
    private readonly FashionMlp network = new();
    private readonly float[] inputs = new float[Batch * 784];
    private readonly int[] labels = new int[Batch];
    private readonly float[] logits = new float[Batch * 10];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        for (var i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (float)random.NextDouble();
        }

        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = random.Next(10);
        }
    }

    [Benchmark]
    public float Forward() => network.Forward(inputs, labels, Batch);

    [Benchmark]
    public float ForwardBackward()
    {
        var loss = network.Forward(inputs, labels, Batch);
        network.Backward();
        return loss;
    }

    [Benchmark]
    public void Predict() => network.Predict(inputs, logits, Batch);
}
