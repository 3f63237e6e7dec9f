using BenchmarkDotNet.Attributes;
using SimdDescent.Networks;
using SimdDescent.Training.Optimizers;

namespace SimdDescent.Benchmarks.Training;

/// <summary>The CLI's <c>cnn</c> architecture: two blocks of 3×3 convolution, batch normalization, ReLU and max pooling, then 128 ReLU → 10.</summary>
[Network(Channels = 1, Height = 28, Width = 28, MaxBatch = 64)]
[Conv2D(32, 3, Padding = 1, Bias = false)]
[BatchNorm2D]
[ActivationLayer(Activation.Relu)]
[MaxPool2D(2)]
[Conv2D(64, 3, Padding = 1, Bias = false)]
[BatchNorm2D]
[ActivationLayer(Activation.Relu)]
[MaxPool2D(2)]
[Flatten]
[Dense(128, Activation.Relu)]
[Dense(10)]
[SoftmaxCrossEntropy]
public partial class StepCnn;

/// <summary>
/// One training step of the Fashion-MNIST CNN at batch 64 (forward, backward, SGD with momentum 0.9) and
/// the prediction of one image, on one thread: the peer is <c>benchmarks/peers/pytorch_cnn.py step</c>.
/// Each step takes the next batch of 4,096 random images with random labels.
/// </summary>
[MemoryDiagnoser]
public class CnnBenchmarks
{
    private const int Rows = 4096;
    private const int Batch = 64;
    private readonly StepCnn _cnn = new();
    private readonly float[] _inputs = new float[Rows * 784];
    private readonly int[] _labels = new int[Rows];
    private readonly float[] _logits = new float[10];
    private Sgd<float> _sgd = null!;
    private int _nextRow;

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

        _sgd = new Sgd<float>(_cnn.ParameterCount, new SgdOptions { LearningRate = 0.05, Momentum = 0.9 });
    }

    [Benchmark]
    public float TrainingStep_Batch64()
    {
        var first = _nextRow;
        _nextRow = (_nextRow + Batch) % (Rows - Batch);
        var loss = _cnn.Forward(_inputs.AsSpan(first * 784, Batch * 784), _labels.AsSpan(first, Batch), Batch);
        _cnn.Backward();
        _sgd.Step(_cnn.Parameters, _cnn.Gradients);
        return loss;
    }

    [Benchmark]
    public float Predict_OneImage()
    {
        var first = _nextRow;
        _nextRow = (_nextRow + 1) % Rows;
        _cnn.Predict(_inputs.AsSpan(first * 784, 784), _logits, 1);
        return _logits[0];
    }
}
