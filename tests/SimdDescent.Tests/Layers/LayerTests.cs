using SimdDescent.Kernels;
using SimdDescent.Kernels.Operators;
using SimdDescent.Layers;
using SimdDescent.Randomness;
using SimdDescent.Tests.Support;

namespace SimdDescent.Tests.Layers;

/// <summary>The layer functions against scalar double references written from the definitions, on every vector path.</summary>
public class LayerTests
{
    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Dense_forward_and_backward_match_the_definitions(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        const int batch = 3, inputs = 5, units = 4;
        var random = new Random(1);
        var x = Values(random, batch * inputs);
        var w = Values(random, inputs * units);
        var b = Values(random, units);
        var y = new double[batch * units];
        Dense.Forward(x, w, b, y, batch, inputs, units, new TanhOperator<double>());

        var dy = Values(random, batch * units);
        var dz = dy.ToArray();
        var dw = new double[inputs * units];
        var db = new double[units];
        var dx = new double[batch * inputs];
        Dense.Backward(x, w, y, dz, dw, db, dx, batch, inputs, units, new TanhBackwardOperator<double>());

        for (var r = 0; r < batch; r++)
        {
            for (var u = 0; u < units; u++)
            {
                var z = b[u];
                for (var i = 0; i < inputs; i++)
                {
                    z += x[(r * inputs) + i] * w[(i * units) + u];
                }

                Assert.Equal(Math.Tanh(z), y[(r * units) + u], 1e-12);
            }
        }

        var expectedDz = dy.Select((g, k) => g * (1 - (y[k] * y[k]))).ToArray();
        for (var u = 0; u < units; u++)
        {
            Assert.Equal(Enumerable.Range(0, batch).Sum(r => expectedDz[(r * units) + u]), db[u], 1e-12);
            for (var i = 0; i < inputs; i++)
            {
                Assert.Equal(Enumerable.Range(0, batch).Sum(r => x[(r * inputs) + i] * expectedDz[(r * units) + u]), dw[(i * units) + u], 1e-12);
            }
        }

        for (var r = 0; r < batch; r++)
        {
            for (var i = 0; i < inputs; i++)
            {
                Assert.Equal(Enumerable.Range(0, units).Sum(u => expectedDz[(r * units) + u] * w[(i * units) + u]), dx[(r * inputs) + i], 1e-12);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void LayerNorm_forward_and_backward_match_the_definitions(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        const int rows = 3, width = 37;
        const double epsilon = 1e-5;
        var random = new Random(2);
        var x = Values(random, rows * width).Select(v => (v * 3) + 1).ToArray();
        var gamma = Values(random, width);
        var beta = Values(random, width);
        var y = new double[rows * width];
        var mean = new double[rows];
        var rstd = new double[rows];
        LayerNorm.Forward(x, gamma, beta, y, mean, rstd, rows, width, epsilon);

        var dy = Values(random, rows * width);
        var dGamma = new double[width];
        var dBeta = new double[width];
        var dx = new double[rows * width];
        LayerNorm.Backward(x, dy, gamma, mean, rstd, dGamma, dBeta, dx, new double[width], rows, width);

        var expectedDGamma = new double[width];
        var expectedDBeta = new double[width];
        for (var r = 0; r < rows; r++)
        {
            var row = x.Skip(r * width).Take(width).ToArray();
            var mu = row.Average();
            var sigma = Math.Sqrt(row.Select(v => (v - mu) * (v - mu)).Average() + epsilon);
            var xhat = row.Select(v => (v - mu) / sigma).ToArray();
            var g = Enumerable.Range(0, width).Select(i => dy[(r * width) + i] * gamma[i]).ToArray();
            var meanG = g.Average();
            var meanGXhat = g.Zip(xhat, (a, b) => a * b).Average();
            for (var i = 0; i < width; i++)
            {
                Assert.Equal((xhat[i] * gamma[i]) + beta[i], y[(r * width) + i], 1e-12);
                Assert.Equal((g[i] - meanG - (xhat[i] * meanGXhat)) / sigma, dx[(r * width) + i], 1e-12);
                expectedDGamma[i] += dy[(r * width) + i] * xhat[i];
                expectedDBeta[i] += dy[(r * width) + i];
            }
        }

        for (var i = 0; i < width; i++)
        {
            Assert.Equal(expectedDGamma[i], dGamma[i], 1e-12);
            Assert.Equal(expectedDBeta[i], dBeta[i], 1e-12);
        }
    }

    [Fact]
    public void Dropout_drops_about_p_scales_the_rest_and_reuses_the_mask_backward()
    {
        const int length = 20_000;
        var x = Enumerable.Repeat(2f, length).ToArray();
        var y = new float[length];
        var mask = new float[length];
        Dropout.Forward(x, y, mask, 0.25f, seed: 1, stream: 0, step: 1, training: true);

        var dropped = y.Count(v => v == 0);
        Assert.InRange(dropped / (double)length, 0.23, 0.27);
        Assert.All(y, v => Assert.True(v == 0 || Math.Abs(v - (2 / 0.75f)) < 1e-6));

        var dy = Enumerable.Repeat(1f, length).ToArray();
        var dx = new float[length];
        Dropout.Backward(dy, mask, dx, training: true);
        for (var i = 0; i < length; i++)
        {
            Assert.Equal(y[i] / 2, dx[i], 1e-6f);
        }
    }

    [Fact]
    public void Dropout_masks_are_reproducible_and_differ_by_stream_and_step()
    {
        float[] Mask(ulong stream, ulong step)
        {
            var mask = new float[256];
            Dropout.Forward(new float[256], new float[256], mask, 0.5f, seed: 7, stream, step, training: true);
            return mask;
        }

        Assert.Equal(Mask(0, 1), Mask(0, 1));
        Assert.NotEqual(Mask(0, 1), Mask(1, 1));
        Assert.NotEqual(Mask(0, 1), Mask(0, 2));
    }

    [Fact]
    public void Dropout_in_inference_passes_values_and_gradients_through()
    {
        var x = new[] { 1.0, -2, 3 };
        var y = new double[3];
        Dropout.Forward(x, y, new double[3], 0.9, 1, 0, 0, training: false);
        Assert.Equal(x, y);
        var dx = new double[3];
        Dropout.Backward(x, new double[3], dx, training: false);
        Assert.Equal(x, dx);
        Assert.Throws<ArgumentOutOfRangeException>(() => Dropout.Forward(x, y, new double[3], 1.0, 1, 0, 0, training: true));
    }

    [Fact]
    public void Initializers_are_deterministic_and_bounded()
    {
        var a = new double[1000];
        var b = new float[1000];
        var first = new SplitMix64(42);
        var second = new SplitMix64(42);
        Initialization.GlorotUniform(a.AsSpan(), 30, 20, ref first);
        Initialization.GlorotUniform(b.AsSpan(), 30, 20, ref second);
        var limit = Math.Sqrt(6.0 / 50);
        Assert.All(a, v => Assert.InRange(v, -limit, limit));
        Assert.Equal(a.Select(v => (float)v), b); // same draws in float and double
        Assert.InRange(a.Average(), -0.05, 0.05);
        Assert.Throws<ArgumentOutOfRangeException>(() => Initialization.HeUniform(a.AsSpan(), 0, ref first));
    }

    [Fact]
    public void Normal_initialization_has_the_requested_spread_and_repeats()
    {
        // An odd length: the last Box–Muller pair contributes one value.
        var a = new double[20001];
        var b = new float[20001];
        var first = new SplitMix64(5);
        var second = new SplitMix64(5);
        Initialization.Normal(a.AsSpan(), 0.02, ref first);
        Initialization.Normal(b.AsSpan(), 0.02, ref second);

        Assert.Equal(a.Select(v => (float)v), b);
        Assert.InRange(a.Average(), -0.0005, 0.0005);
        Assert.InRange(Math.Sqrt(a.Average(v => v * v)), 0.0196, 0.0204);
        // About 4.6 % of a normal lies beyond 2σ.
        Assert.InRange(a.Count(v => Math.Abs(v) > 0.04) / (double)a.Length, 0.040, 0.052);
        Assert.NotEqual(0, a[^1]);
        Assert.Throws<ArgumentOutOfRangeException>(() => Initialization.Normal(a.AsSpan(), 0, ref first));
    }

    private static double[] Values(Random random, int length) =>
        Enumerable.Range(0, length).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
}
