using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using SimdDescent.Training.Optimizers;

namespace SimdDescent.Benchmarks.Training;

/// <summary>
/// One optimizer step over a 100k-parameter arena: the vectorized update rules against the same
/// equations as a plain scalar loop (the shape of a naive hand-written optimizer).
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class OptimizerStepBenchmarks
{
    private const int Parameters = 100_000;
    private const float LearningRate = 1e-3f;
    private const float Beta1 = 0.9f;
    private const float Beta2 = 0.999f;
    private const float Epsilon = 1e-8f;
    private const float Momentum = 0.9f;

    private readonly float[] _parameters = new float[Parameters];
    private readonly float[] _gradients = new float[Parameters];
    private readonly float[] _m = new float[Parameters];
    private readonly float[] _v = new float[Parameters];
    private Adam<float> _adam = null!;
    private Sgd<float> _sgd = null!;
    private int _step;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        for (var i = 0; i < Parameters; i++)
        {
            _parameters[i] = (float)(random.NextDouble() - 0.5);
            _gradients[i] = (float)(random.NextDouble() - 0.5) * 1e-2f;
        }

        _adam = new Adam<float>(Parameters, new AdamOptions { LearningRate = LearningRate });
        _sgd = new Sgd<float>(Parameters, new SgdOptions { LearningRate = LearningRate, Momentum = Momentum, Nesterov = true });
    }

    [Benchmark, BenchmarkCategory("Adam")]
    public void Adam_SimdDescent() => _adam.Step(_parameters, _gradients);

    [Benchmark(Baseline = true), BenchmarkCategory("Adam")]
    public void Adam_ScalarLoop()
    {
        _step++;
        var stepSize = LearningRate / (1 - MathF.Pow(Beta1, _step));
        var correction = 1 / MathF.Sqrt(1 - MathF.Pow(Beta2, _step));
        for (var i = 0; i < Parameters; i++)
        {
            var g = _gradients[i];
            _m[i] = (Beta1 * _m[i]) + ((1 - Beta1) * g);
            _v[i] = (Beta2 * _v[i]) + ((1 - Beta2) * g * g);
            _parameters[i] -= stepSize * _m[i] / ((MathF.Sqrt(_v[i]) * correction) + Epsilon);
        }
    }

    [Benchmark, BenchmarkCategory("SGD Nesterov")]
    public void Sgd_SimdDescent() => _sgd.Step(_parameters, _gradients);

    [Benchmark(Baseline = true), BenchmarkCategory("SGD Nesterov")]
    public void Sgd_ScalarLoop()
    {
        for (var i = 0; i < Parameters; i++)
        {
            var g = _gradients[i];
            _m[i] = (Momentum * _m[i]) + g;
            _parameters[i] -= LearningRate * (g + (Momentum * _m[i]));
        }
    }
}
