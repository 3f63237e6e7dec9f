using SimdDescent.Kernels;
using SimdDescent.Layers;
using SimdDescent.Tests.Support;
using static SimdDescent.Tests.Layers.ConvolutionTests;

namespace SimdDescent.Tests.Layers;

/// <summary>Pooling and BatchNorm2D against scalar loops written from the definitions and central differences, on every vector path.</summary>
public class PoolingAndBatchNormTests
{
    public static TheoryData<VectorPath, int, int, int, int, int, int> PoolCases()
    {
        var data = new TheoryData<VectorPath, int, int, int, int, int, int>();
        foreach (var path in Paths.All)
        {
            // batch, channels, h, w, kernel, stride
            data.Add(path, 2, 3, 7, 6, 2, 2);
            data.Add(path, 1, 5, 9, 5, 3, 2);
            data.Add(path, 3, 1, 5, 7, 3, 1);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PoolCases))]
    public void MaxPool2D_takes_window_maxima_and_routes_gradients_to_them(VectorPath path, int batch, int channels, int height, int width, int kernel, int stride)
    {
        using var _ = SimdDispatch.Force(path);
        var shape = new Pool2DShape(batch, channels, height, width, kernel, stride);
        var random = new Random(height * width);
        var x = Values(random, shape.InputLength);
        var y = new double[shape.OutputLength];
        MaxPool2D.Forward(shape, x, y);
        var dy = Values(random, y.Length);
        var dx = new double[x.Length];
        MaxPool2D.Backward(shape, x, dy, dx);

        var expectedDx = new double[x.Length];
        foreach (var (output, window) in Windows(shape))
        {
            var argMax = window.Aggregate((a, b) => x[b] > x[a] ? b : a);
            Assert.Equal(x[argMax], y[output]);
            expectedDx[argMax] += dy[output];
        }

        AssertClose(expectedDx, dx, 1e-15);

        // Distinct values: away from ties the max is differentiable and central differences agree.
        AssertClose(CentralDifferences(x, () =>
        {
            MaxPool2D.Forward(shape, x, y);
            return y.Zip(dy, (a, b) => a * b).Sum();
        }), dx, 1e-8);
    }

    public static TheoryData<VectorPath, int, int, int, int> WidePoolCases()
    {
        var data = new TheoryData<VectorPath, int, int, int, int>();
        foreach (var path in Paths.All)
        {
            // h, w, kernel, stride: rows longer than a register, a multiple of it or not.
            data.Add(path, 6, 37, 2, 2);
            data.Add(path, 7, 40, 3, 1);
            data.Add(path, 9, 33, 3, 2);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(WidePoolCases))]
    public void Pooling_in_float_over_rows_wider_than_a_register_matches_the_definitions_ties_included(VectorPath path, int height, int width, int kernel, int stride)
    {
        using var _ = SimdDispatch.Force(path);
        var shape = new Pool2DShape(2, 3, height, width, kernel, stride);
        var random = new Random(width);
        // Three distinct values: most windows hold ties, across rows and across columns.
        var x = Enumerable.Range(0, shape.InputLength).Select(_ => (float)random.Next(3)).ToArray();
        var dy = Enumerable.Range(0, shape.OutputLength).Select(_ => (float)random.Next(1, 100)).ToArray();
        var (max, mean) = (new float[shape.OutputLength], new float[shape.OutputLength]);
        var (maxDx, meanDx) = (new float[x.Length], new float[x.Length]);
        MaxPool2D.Forward<float>(shape, x, max);
        AvgPool2D.Forward<float>(shape, x, mean);
        MaxPool2D.Backward<float>(shape, x, dy, maxDx);
        AvgPool2D.Backward<float>(shape, dy, meanDx);

        var (expectedMaxDx, expectedMeanDx) = (new double[x.Length], new double[x.Length]);
        foreach (var (output, window) in Windows(shape))
        {
            var argMax = window.Aggregate((a, b) => x[b] > x[a] ? b : a);
            Assert.Equal(x[argMax], max[output]);
            Assert.Equal(window.Average(i => x[i]), mean[output], 1e-6);
            expectedMaxDx[argMax] += dy[output];
            foreach (var i in window)
            {
                expectedMeanDx[i] += dy[output] / (kernel * kernel);
            }
        }

        Assert.Equal(expectedMaxDx, maxDx.Select(v => (double)v).ToArray());
        AssertClose(expectedMeanDx, meanDx.Select(v => (double)v).ToArray(), 1e-5);
    }

    [Fact]
    public void MaxPool2D_sends_a_tied_gradient_to_the_first_maximum_in_the_window()
    {
        var shape = new Pool2DShape(1, 1, 3, 3, 2, 1);
        double[] x = [1, 5, 5, 5, 5, 0, 2, 5, 5];
        var y = new double[4];
        MaxPool2D.Forward(shape, x, y);
        var dx = new double[9];
        MaxPool2D.Backward(shape, x, [1, 10, 100, 1000], dx);
        Assert.Equal([5.0, 5, 5, 5], y);
        // Windows: (0,1,3,4) → 1; (1,2,4,5) → 1; (3,4,6,7) → 3; (4,5,7,8) → 4.
        Assert.Equal([0.0, 11, 0, 100, 1000, 0, 0, 0, 0], dx);
    }

    [Theory]
    [MemberData(nameof(PoolCases))]
    public void AvgPool2D_takes_window_means_and_spreads_gradients_evenly(VectorPath path, int batch, int channels, int height, int width, int kernel, int stride)
    {
        using var _ = SimdDispatch.Force(path);
        var shape = new Pool2DShape(batch, channels, height, width, kernel, stride);
        var random = new Random(height + width);
        var x = Values(random, shape.InputLength);
        var y = new double[shape.OutputLength];
        AvgPool2D.Forward(shape, x, y);
        var dy = Values(random, y.Length);
        var dx = new double[x.Length];
        AvgPool2D.Backward(shape, dy, dx);

        var expectedDx = new double[x.Length];
        foreach (var (output, window) in Windows(shape))
        {
            Assert.Equal(window.Average(i => x[i]), y[output], 1e-14);
            foreach (var i in window)
            {
                expectedDx[i] += dy[output] / (kernel * kernel);
            }
        }

        AssertClose(expectedDx, dx, 1e-14);
        AssertClose(CentralDifferences(x, () =>
        {
            AvgPool2D.Forward(shape, x, y);
            return y.Zip(dy, (a, b) => a * b).Sum();
        }), dx, 1e-8);
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void GlobalAvgPool_averages_each_plane(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        const int planes = 2 * 5, planeSize = 7 * 3;
        var random = new Random(4);
        var x = Values(random, planes * planeSize);
        var y = new double[planes];
        GlobalAvgPool.Forward<double>(x, y, planes, planeSize);
        var dy = Values(random, planes);
        var dx = new double[x.Length];
        GlobalAvgPool.Backward<double>(dy, dx, planes, planeSize);
        for (var p = 0; p < planes; p++)
        {
            Assert.Equal(x.Skip(p * planeSize).Take(planeSize).Average(), y[p], 1e-14);
        }

        AssertClose(Enumerable.Range(0, x.Length).Select(i => dy[i / planeSize] / planeSize).ToArray(), dx, 1e-15);
        LayerAssert.ThrowsSaying("Expected pooled to hold 10 elements", () => GlobalAvgPool.Forward<double>(x, new double[9], planes, planeSize));
    }

    [Fact]
    public void Pooling_rejects_windows_that_do_not_fit()
    {
        LayerAssert.ThrowsSaying("Expected a 3×3 window to fit the 2×5 input", () => _ = new Pool2DShape(1, 1, 2, 5, 3, 1));
        var shape = new Pool2DShape(1, 2, 4, 4, 2, 2);
        LayerAssert.ThrowsSaying("Expected y to hold 8 elements", () => MaxPool2D.Forward<float>(shape, new float[32], new float[7]));
        LayerAssert.ThrowsSaying("Expected dx to hold 32 elements", () => AvgPool2D.Backward<float>(shape, new float[8], new float[31]));
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void BatchNorm2D_training_normalizes_per_channel_and_moves_the_running_statistics(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        const int batch = 3, channels = 5, planeSize = 7;
        const double epsilon = 1e-5, momentum = 0.1;
        var random = new Random(6);
        var x = Values(random, batch * channels * planeSize).Select(v => (3 * v) + 2).ToArray();
        var gamma = Values(random, channels);
        var beta = Values(random, channels);
        var runningMean = Values(random, channels);
        var runningVariance = Values(random, channels).Select(v => v + 2).ToArray();
        var expectedRunningMean = runningMean.ToArray();
        var expectedRunningVariance = runningVariance.ToArray();
        var y = new double[x.Length];
        var mean = new double[channels];
        var rstd = new double[channels];
        BatchNorm2D.Forward(x, gamma, beta, y, mean, rstd, runningMean, runningVariance, batch, channels, planeSize, epsilon, momentum);

        for (var c = 0; c < channels; c++)
        {
            var values = ChannelIndices(batch, channels, planeSize, c).Select(i => x[i]).ToArray();
            var mu = values.Average();
            var biased = values.Average(v => (v - mu) * (v - mu));
            foreach (var i in ChannelIndices(batch, channels, planeSize, c))
            {
                Assert.Equal((((x[i] - mu) / Math.Sqrt(biased + epsilon)) * gamma[c]) + beta[c], y[i], 1e-12);
            }

            Assert.Equal((0.9 * expectedRunningMean[c]) + (0.1 * mu), runningMean[c], 1e-14);
            Assert.Equal((0.9 * expectedRunningVariance[c]) + (0.1 * biased * values.Length / (values.Length - 1)), runningVariance[c], 1e-14);
        }
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void BatchNorm2D_backward_matches_central_differences(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        const int batch = 2, channels = 3, planeSize = 11;
        var random = new Random(8);
        var x = Values(random, batch * channels * planeSize);
        var gamma = Values(random, channels);
        var beta = Values(random, channels);
        var r = Values(random, x.Length);
        var y = new double[x.Length];
        var mean = new double[channels];
        var rstd = new double[channels];

        double Loss()
        {
            BatchNorm2D.Forward(x, gamma, beta, y, mean, rstd, new double[channels], new double[channels], batch, channels, planeSize, 1e-5, 0.1);
            return y.Zip(r, (a, b) => a * b).Sum();
        }

        Loss();
        var dGamma = new double[channels];
        var dBeta = new double[channels];
        var dx = new double[x.Length];
        BatchNorm2D.Backward(x, r, gamma, mean, rstd, dGamma, dBeta, dx, batch, channels, planeSize);

        AssertClose(CentralDifferences(x, Loss), dx, 1e-7);
        AssertClose(CentralDifferences(gamma, Loss), dGamma, 1e-7);
        AssertClose(CentralDifferences(beta, Loss), dBeta, 1e-7);
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void BatchNorm2D_in_float_keeps_its_digits_when_the_mean_dwarfs_the_spread(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        const int batch = 3, channels = 2, planeSize = 50;
        var random = new Random(11);
        // Mean 1000, spread 1: a variance from Σ x²/n − μ² would cancel about 6 of float's 7 digits.
        var x = Enumerable.Range(0, batch * channels * planeSize).Select(_ => 1000 + (random.NextDouble() * 2) - 1).ToArray();
        var dy = Values(random, x.Length);
        double[] gamma = [1.5, 0.5], beta = [0.25, -1];
        var expected = Run(x, dy, gamma, beta);
        var actual = Run(x.Select(v => (float)v).ToArray(), dy.Select(v => (float)v).ToArray(), [1.5f, 0.5f], [0.25f, -1f]);
        for (var i = 0; i < expected.Length; i++)
        {
            AssertClose(expected[i], actual[i].Select(v => (double)v).ToArray(), 2e-3);
        }

        static T[][] Run<T>(T[] x, T[] dy, T[] gamma, T[] beta)
            where T : unmanaged, System.Numerics.IBinaryFloatingPointIeee754<T>
        {
            var (y, dx, dGamma, dBeta) = (new T[x.Length], new T[x.Length], new T[channels], new T[channels]);
            var (mean, rstd, runningMean, runningVariance) = (new T[channels], new T[channels], new T[channels], new T[channels]);
            BatchNorm2D.Forward(x, gamma, beta, y, mean, rstd, runningMean, runningVariance, batch, channels, planeSize, T.CreateTruncating(1e-5), T.CreateTruncating(0.1));
            BatchNorm2D.Backward(x, dy, gamma, mean, rstd, dGamma, dBeta, dx, batch, channels, planeSize);
            return [y, dx, dGamma, dBeta];
        }
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void BatchNorm2D_inference_uses_the_running_statistics(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        const int batch = 2, channels = 3, planeSize = 9;
        var random = new Random(9);
        var x = Values(random, batch * channels * planeSize);
        var gamma = Values(random, channels);
        var beta = Values(random, channels);
        var runningMean = Values(random, channels);
        var runningVariance = Values(random, channels).Select(v => v + 1.5).ToArray();
        var y = new double[x.Length];
        var mean = new double[channels];
        var rstd = new double[channels];
        BatchNorm2D.Infer(x, gamma, beta, runningMean, runningVariance, y, mean, rstd, batch, channels, planeSize, 1e-5);
        for (var c = 0; c < channels; c++)
        {
            foreach (var i in ChannelIndices(batch, channels, planeSize, c))
            {
                Assert.Equal((((x[i] - runningMean[c]) / Math.Sqrt(runningVariance[c] + 1e-5)) * gamma[c]) + beta[c], y[i], 1e-13);
            }
        }

        LayerAssert.ThrowsSaying("Expected more than one value per channel", () => BatchNorm2D.Forward(
            new double[3], new double[3], new double[3], new double[3], new double[3], new double[3], new double[3], new double[3], 1, 3, 1, 1e-5, 0.1));
        LayerAssert.ThrowsSaying("Expected runningMean to hold 3 elements", () => BatchNorm2D.Infer(
            x, gamma, beta, new double[2], runningVariance, y, mean, rstd, batch, channels, planeSize, 1e-5));

        // In inference the normalization is a fixed affine map per channel: its gradients follow central differences.
        var r = Values(random, x.Length);
        var dGamma = new double[channels];
        var dBeta = new double[channels];
        var dx = new double[x.Length];
        BatchNorm2D.Backward(x, r, gamma, mean, rstd, dGamma, dBeta, dx, batch, channels, planeSize, batchStatistics: false);
        double Loss()
        {
            BatchNorm2D.Infer(x, gamma, beta, runningMean, runningVariance, y, mean, rstd, batch, channels, planeSize, 1e-5);
            return y.Zip(r, (a, b) => a * b).Sum();
        }

        AssertClose(CentralDifferences(x, Loss), dx, 1e-7);
        AssertClose(CentralDifferences(gamma, Loss), dGamma, 1e-7);
        AssertClose(CentralDifferences(beta, Loss), dBeta, 1e-7);
    }

    private static IEnumerable<int> ChannelIndices(int batch, int channels, int planeSize, int c) =>
        Enumerable.Range(0, batch).SelectMany(b => Enumerable.Range((((b * channels) + c) * planeSize), planeSize));

    /// <summary>Each output index with the input indices of its window.</summary>
    private static IEnumerable<(int Output, int[] Window)> Windows(Pool2DShape s)
    {
        var output = 0;
        for (var plane = 0; plane < s.Batch * s.Channels; plane++)
        {
            for (var oy = 0; oy < s.OutputHeight; oy++)
            {
                for (var ox = 0; ox < s.OutputWidth; ox++)
                {
                    var window = new List<int>();
                    for (var i = 0; i < s.Kernel; i++)
                    {
                        for (var j = 0; j < s.Kernel; j++)
                        {
                            window.Add((plane * s.Height * s.Width) + (((oy * s.Stride) + i) * s.Width) + (ox * s.Stride) + j);
                        }
                    }

                    yield return (output++, [.. window]);
                }
            }
        }
    }
}
