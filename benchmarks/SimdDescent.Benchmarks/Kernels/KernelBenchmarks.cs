using System.Numerics.Tensors;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using SimdDescent.Kernels;

namespace SimdDescent.Benchmarks.Kernels;

/// <summary>
/// Each kernel against TensorPrimitives (the baseline of its category) and a plain scalar loop, at
/// sizes from L1-resident to memory-bound.
/// </summary>
[MemoryDiagnoser]
[CategoriesColumn]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
public class KernelBenchmarks
{
    private float[] _x = [];
    private float[] _y = [];
    private float[] _d = [];
    private float[] _positive = [];

    [Params(16, 128, 4096, 1_048_576)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(42);
        _x = Enumerable.Range(0, N).Select(_ => (float)((random.NextDouble() * 8) - 4)).ToArray();
        _y = Enumerable.Range(0, N).Select(_ => (float)((random.NextDouble() * 8) - 4)).ToArray();
        _d = new float[N];
        _positive = _y.Select(v => MathF.Abs(v) + 1e-3f).ToArray();
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Dot")]
    public float Dot_TensorPrimitives() => TensorPrimitives.Dot(_x, _y);

    [Benchmark, BenchmarkCategory("Dot")]
    public float Dot_SimdDescent() => Blas.Dot<float>(_x, _y);

    [Benchmark, BenchmarkCategory("Dot")]
    public float Dot_Scalar()
    {
        var sum = 0f;
        for (var i = 0; i < _x.Length; i++)
        {
            sum += _x[i] * _y[i];
        }

        return sum;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Add")]
    public void Add_TensorPrimitives() => TensorPrimitives.Add(_x, _y, _d);

    [Benchmark, BenchmarkCategory("Add")]
    public void Add_SimdDescent() => Blas.Add<float>(_x, _y, _d);

    [Benchmark, BenchmarkCategory("Add")]
    public void Add_Scalar()
    {
        for (var i = 0; i < _x.Length; i++)
        {
            _d[i] = _x[i] + _y[i];
        }
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Axpy")]
    public void Axpy_TensorPrimitives() => TensorPrimitives.MultiplyAdd(_x, 0.5f, _y, _d);

    [Benchmark, BenchmarkCategory("Axpy")]
    public void Axpy_SimdDescent() => Blas.Axpy<float>(0.5f, _x, _d);

    [Benchmark, BenchmarkCategory("Axpy")]
    public void Axpy_Scalar()
    {
        for (var i = 0; i < _x.Length; i++)
        {
            _d[i] += 0.5f * _x[i];
        }
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Sum")]
    public float Sum_TensorPrimitives() => TensorPrimitives.Sum(_x);

    [Benchmark, BenchmarkCategory("Sum")]
    public float Sum_SimdDescent() => Reductions.Sum<float>(_x);

    [Benchmark, BenchmarkCategory("Sum")]
    public float Sum_Scalar()
    {
        var sum = 0f;
        foreach (var v in _x)
        {
            sum += v;
        }

        return sum;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Norm2")]
    public float Norm2_TensorPrimitives() => TensorPrimitives.Norm(_x);

    [Benchmark, BenchmarkCategory("Norm2")]
    public float Norm2_SimdDescent() => Reductions.Norm2<float>(_x);

    [Benchmark, BenchmarkCategory("Norm2")]
    public float Norm2_Scalar()
    {
        var sum = 0f;
        foreach (var v in _x)
        {
            sum += v * v;
        }

        return MathF.Sqrt(sum);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Max")]
    public float Max_TensorPrimitives() => TensorPrimitives.Max(_x);

    [Benchmark, BenchmarkCategory("Max")]
    public float Max_SimdDescent() => Reductions.Max<float>(_x);

    [Benchmark, BenchmarkCategory("Max")]
    public float Max_Scalar()
    {
        var max = float.NegativeInfinity;
        foreach (var v in _x)
        {
            max = MathF.Max(max, v);
        }

        return max;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("ArgMax")]
    public int ArgMax_TensorPrimitives() => TensorPrimitives.IndexOfMax(_x);

    [Benchmark, BenchmarkCategory("ArgMax")]
    public int ArgMax_SimdDescent() => Reductions.ArgMax<float>(_x);

    [Benchmark, BenchmarkCategory("ArgMax")]
    public int ArgMax_Scalar()
    {
        var best = 0;
        for (var i = 1; i < _x.Length; i++)
        {
            if (_x[i] > _x[best])
            {
                best = i;
            }
        }

        return best;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Exp")]
    public void Exp_TensorPrimitives() => TensorPrimitives.Exp(_x, _d);

    [Benchmark, BenchmarkCategory("Exp")]
    public void Exp_SimdDescent() => SimdMath.Exp<float>(_x, _d);

    [Benchmark, BenchmarkCategory("Exp")]
    public void Exp_Scalar()
    {
        for (var i = 0; i < _x.Length; i++)
        {
            _d[i] = MathF.Exp(_x[i]);
        }
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Log")]
    public void Log_TensorPrimitives() => TensorPrimitives.Log(_positive, _d);

    [Benchmark, BenchmarkCategory("Log")]
    public void Log_SimdDescent() => SimdMath.Log<float>(_positive, _d);

    [Benchmark, BenchmarkCategory("Log")]
    public void Log_Scalar()
    {
        for (var i = 0; i < _positive.Length; i++)
        {
            _d[i] = MathF.Log(_positive[i]);
        }
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Sigmoid")]
    public void Sigmoid_TensorPrimitives() => TensorPrimitives.Sigmoid(_x, _d);

    [Benchmark, BenchmarkCategory("Sigmoid")]
    public void Sigmoid_SimdDescent() => Activations.Sigmoid<float>(_x, _d);

    [Benchmark, BenchmarkCategory("Sigmoid")]
    public void Sigmoid_Scalar()
    {
        for (var i = 0; i < _x.Length; i++)
        {
            _d[i] = 1f / (1f + MathF.Exp(-_x[i]));
        }
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Tanh")]
    public void Tanh_TensorPrimitives() => TensorPrimitives.Tanh(_x, _d);

    [Benchmark, BenchmarkCategory("Tanh")]
    public void Tanh_SimdDescent() => Activations.Tanh<float>(_x, _d);

    [Benchmark, BenchmarkCategory("Tanh")]
    public void Tanh_Scalar()
    {
        for (var i = 0; i < _x.Length; i++)
        {
            _d[i] = MathF.Tanh(_x[i]);
        }
    }

    [Benchmark(Baseline = true), BenchmarkCategory("ReLU")]
    public void Relu_TensorPrimitives() => TensorPrimitives.Max(_x, 0f, _d);

    [Benchmark, BenchmarkCategory("ReLU")]
    public void Relu_SimdDescent() => Activations.Relu<float>(_x, _d);

    [Benchmark, BenchmarkCategory("ReLU")]
    public void Relu_Scalar()
    {
        for (var i = 0; i < _x.Length; i++)
        {
            _d[i] = MathF.Max(_x[i], 0f);
        }
    }

    // TensorPrimitives.SoftMax does not subtract the maximum (it overflows past logits of ~88); ours does.
    [Benchmark(Baseline = true), BenchmarkCategory("Softmax")]
    public void Softmax_TensorPrimitives() => TensorPrimitives.SoftMax(_x, _d);

    [Benchmark, BenchmarkCategory("Softmax")]
    public void Softmax_SimdDescent() => Softmax.Forward<float>(_x, _d, 1, _x.Length);

    [Benchmark, BenchmarkCategory("Softmax")]
    public void Softmax_Scalar()
    {
        var max = float.NegativeInfinity;
        foreach (var v in _x)
        {
            max = MathF.Max(max, v);
        }

        var sum = 0f;
        for (var i = 0; i < _x.Length; i++)
        {
            _d[i] = MathF.Exp(_x[i] - max);
            sum += _d[i];
        }

        for (var i = 0; i < _d.Length; i++)
        {
            _d[i] /= sum;
        }
    }
}
