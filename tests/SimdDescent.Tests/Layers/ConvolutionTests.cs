using SimdDescent.Kernels;
using SimdDescent.Kernels.Operators;
using SimdDescent.Layers;
using SimdDescent.Tests.Support;

namespace SimdDescent.Tests.Layers;

/// <summary>Conv2D against a direct scalar convolution written from the definition and against central differences, on every vector path.</summary>
public class ConvolutionTests
{
    public static TheoryData<VectorPath, int, int, int, int, int, int, int, int, int> Cases()
    {
        var data = new TheoryData<VectorPath, int, int, int, int, int, int, int, int, int>();
        foreach (var path in Paths.All)
        {
            // batch, in, h, w, out, kh, kw, stride, padding
            data.Add(path, 2, 3, 7, 6, 5, 3, 3, 1, 1);
            data.Add(path, 1, 1, 5, 9, 17, 3, 2, 2, 0);
            data.Add(path, 3, 2, 6, 5, 3, 2, 3, 2, 2);
            data.Add(path, 1, 5, 4, 4, 1, 4, 4, 1, 0);
            // Rows longer than a register, so im2col and col2im move whole registers and an overlapping or scalar tail.
            data.Add(path, 2, 3, 11, 37, 7, 3, 3, 1, 1);
            data.Add(path, 1, 2, 9, 40, 5, 5, 5, 2, 2);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Conv2D_matches_the_direct_convolution_forward_and_backward(
        VectorPath path, int batch, int inputs, int height, int width, int outputs, int kh, int kw, int stride, int padding)
    {
        using var _ = SimdDispatch.Force(path);
        var shape = new Conv2DShape(batch, inputs, height, width, outputs, kh, kw, stride, padding);
        var random = new Random(batch + (7 * inputs) + height);
        var x = Values(random, shape.InputLength);
        var w = Values(random, shape.WeightLength);
        var bias = Values(random, outputs);
        var y = new double[shape.OutputLength];
        var columns = new double[shape.ColumnsLength];
        Conv2D.Forward(shape, x, w, bias, y, columns, new TanhOperator<double>());

        var z = Direct(shape, x, w, bias);
        for (var i = 0; i < z.Length; i++)
        {
            Assert.Equal(Math.Tanh(z[i]), y[i], 1e-12);
        }

        // dL/dy for L = Σ r ⊙ y; the expected gradients come from the direct convolution's own definition.
        var r = Values(random, y.Length);
        var dy = r.ToArray();
        var dw = new double[w.Length];
        var db = new double[outputs];
        var dx = new double[x.Length];
        Conv2D.Backward(shape, x, w, y, dy, columns, dw, db, dx, new TanhBackwardOperator<double>());

        var dz = r.Select((g, i) => g * (1 - (y[i] * y[i]))).ToArray();
        var (expectedDx, expectedDw, expectedDb) = DirectBackward(shape, x, w, dz);
        AssertClose(expectedDx, dx, 1e-12);
        AssertClose(expectedDw, dw, 1e-12);
        AssertClose(expectedDb, db, 1e-12);
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Conv2D_gradients_match_central_differences(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        var shape = new Conv2DShape(2, 3, 5, 6, 4, 3, 2, 2, 1);
        var random = new Random(5);
        var x = Values(random, shape.InputLength);
        var w = Values(random, shape.WeightLength);
        var bias = Values(random, shape.OutputChannels);
        var r = Values(random, shape.OutputLength);
        var columns = new double[shape.ColumnsLength];
        var y = new double[shape.OutputLength];

        double Loss()
        {
            Conv2D.Forward(shape, x, w, bias, y, columns, new SigmoidOperator<double>());
            return y.Zip(r, (a, b) => a * b).Sum();
        }

        Loss();
        var dy = r.ToArray();
        var dw = new double[w.Length];
        var db = new double[bias.Length];
        var dx = new double[x.Length];
        Conv2D.Backward(shape, x, w, y.ToArray(), dy, columns, dw, db, dx, new SigmoidBackwardOperator<double>());

        AssertClose(CentralDifferences(x, Loss), dx, 1e-7);
        AssertClose(CentralDifferences(w, Loss), dw, 1e-7);
        AssertClose(CentralDifferences(bias, Loss), db, 1e-7);
    }

    [Fact]
    public void Conv2D_without_bias_or_input_gradient_leaves_them_alone()
    {
        var shape = new Conv2DShape(1, 2, 4, 4, 3, 3, 3, 1, 1);
        var random = new Random(3);
        var x = Values(random, shape.InputLength);
        var w = Values(random, shape.WeightLength);
        var y = new double[shape.OutputLength];
        var columns = new double[shape.ColumnsLength];
        Conv2D.Forward(shape, x, w, [], y, columns, new IdentityOperator<double>());
        AssertClose(Direct(shape, x, w, new double[3]), y, 1e-12);

        var dz = Values(random, y.Length);
        var dw = new double[w.Length];
        Conv2D.Backward(shape, x, w, dz, columns, dw, [], []);
        AssertClose(DirectBackward(shape, x, w, dz).Weight, dw, 1e-12);
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Conv2D_gives_an_image_bitwise_the_same_output_alone_and_inside_a_batch(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        // 2×2 and 3×4 outputs fit one register of every width; 19×19 outputs do not.
        foreach (var (height, width, padding) in new[] { (3, 3, 0), (4, 5, 0), (19, 19, 1) })
        {
            const int batch = 3;
            var shape = new Conv2DShape(batch, 4, height, width, 5, 2, 2, 1, padding);
            var alone = new Conv2DShape(1, 4, height, width, 5, 2, 2, 1, padding);
            var random = new Random(height);
            var x = Values(random, shape.InputLength).Select(v => (float)v).ToArray();
            var w = Values(random, shape.WeightLength).Select(v => (float)v).ToArray();
            float[] bias = [0.5f, -0.25f, 0.125f, 1, -1];
            var y = new float[shape.OutputLength];
            Conv2D.Forward(shape, x, w, bias, y, new float[shape.ColumnsLength], new ReluOperator<float>());
            for (var b = 0; b < batch; b++)
            {
                var single = new float[alone.OutputLength];
                Conv2D.Forward(alone, x.AsSpan(b * alone.InputLength, alone.InputLength), w, bias, single, new float[alone.ColumnsLength], new ReluOperator<float>());
                Assert.Equal(single, y.AsSpan(b * single.Length, single.Length).ToArray());
            }
        }
    }

    [Fact]
    public void Conv2D_rejects_shapes_that_do_not_fit()
    {
        LayerAssert.ThrowsSaying("to fit the 4×4 input padded by 0", () => _ = new Conv2DShape(1, 1, 4, 4, 1, 5, 3));
        LayerAssert.ThrowsSaying("Expected stride > 0", () => _ = new Conv2DShape(1, 1, 4, 4, 1, 3, 3, stride: 0));
        LayerAssert.ThrowsSaying("Expected padding ≥ 0", () => _ = new Conv2DShape(1, 1, 4, 4, 1, 3, 3, padding: -1));
        var shape = new Conv2DShape(2, 3, 5, 5, 4, 3, 3);
        LayerAssert.ThrowsSaying($"Expected x to hold {2 * 3 * 5 * 5} elements", () => Conv2D.Forward(shape, new float[10], new float[shape.WeightLength], [],
            new float[shape.OutputLength], new float[shape.ColumnsLength], new IdentityOperator<float>()));
        LayerAssert.ThrowsSaying($"Expected columns to hold {shape.ColumnsLength} elements", () => Conv2D.Forward(shape, new float[shape.InputLength],
            new float[shape.WeightLength], [], new float[shape.OutputLength], new float[3], new IdentityOperator<float>()));
        LayerAssert.ThrowsSaying("Expected bias to hold 4 elements", () => Conv2D.Forward(shape, new float[shape.InputLength], new float[shape.WeightLength],
            new float[3], new float[shape.OutputLength], new float[shape.ColumnsLength], new IdentityOperator<float>()));
    }

    /// <summary>z[b, o, oy, ox] = bias[o] + Σ_c,i,j x[b, c, oy·s − p + i, ox·s − p + j]·w[o, c, i, j], zero padding.</summary>
    internal static double[] Direct(Conv2DShape s, double[] x, double[] w, double[] bias)
    {
        var z = new double[s.OutputLength];
        foreach (var (b, o, oy, ox, index) in Outputs(s))
        {
            var sum = bias[o];
            foreach (var (c, i, j, input, weight) in Taps(s, b, o, oy, ox))
            {
                sum += x[input] * w[weight];
            }

            z[index] = sum;
        }

        return z;
    }

    /// <summary>The gradients of L = Σ dz ⊙ z by the chain rule applied tap by tap to <see cref="Direct"/>.</summary>
    internal static (double[] Input, double[] Weight, double[] Bias) DirectBackward(Conv2DShape s, double[] x, double[] w, double[] dz)
    {
        var dx = new double[x.Length];
        var dw = new double[w.Length];
        var db = new double[s.OutputChannels];
        foreach (var (b, o, oy, ox, index) in Outputs(s))
        {
            db[o] += dz[index];
            foreach (var (c, i, j, input, weight) in Taps(s, b, o, oy, ox))
            {
                dx[input] += dz[index] * w[weight];
                dw[weight] += dz[index] * x[input];
            }
        }

        return (dx, dw, db);
    }

    private static IEnumerable<(int B, int O, int Oy, int Ox, int Index)> Outputs(Conv2DShape s)
    {
        var index = 0;
        for (var b = 0; b < s.Batch; b++)
        {
            for (var o = 0; o < s.OutputChannels; o++)
            {
                for (var oy = 0; oy < s.OutputHeight; oy++)
                {
                    for (var ox = 0; ox < s.OutputWidth; ox++)
                    {
                        yield return (b, o, oy, ox, index++);
                    }
                }
            }
        }
    }

    /// <summary>The (input index, weight index) pairs of one output that fall inside the unpadded input.</summary>
    private static IEnumerable<(int C, int I, int J, int Input, int Weight)> Taps(Conv2DShape s, int b, int o, int oy, int ox)
    {
        for (var c = 0; c < s.InputChannels; c++)
        {
            for (var i = 0; i < s.KernelHeight; i++)
            {
                for (var j = 0; j < s.KernelWidth; j++)
                {
                    var iy = (oy * s.Stride) - s.Padding + i;
                    var ix = (ox * s.Stride) - s.Padding + j;
                    if (iy >= 0 && iy < s.Height && ix >= 0 && ix < s.Width)
                    {
                        yield return (c, i, j, (((((b * s.InputChannels) + c) * s.Height) + iy) * s.Width) + ix,
                            (((((o * s.InputChannels) + c) * s.KernelHeight) + i) * s.KernelWidth) + j);
                    }
                }
            }
        }
    }

    /// <summary>(L(v + h) − L(v − h)) / 2h for every element of v, restoring it after each probe.</summary>
    internal static double[] CentralDifferences(double[] v, Func<double> loss, double h = 1e-5)
    {
        var gradient = new double[v.Length];
        for (var i = 0; i < v.Length; i++)
        {
            var saved = v[i];
            v[i] = saved + h;
            var plus = loss();
            v[i] = saved - h;
            var minus = loss();
            v[i] = saved;
            gradient[i] = (plus - minus) / (2 * h);
        }

        return gradient;
    }

    internal static void AssertClose(IReadOnlyList<double> expected, IReadOnlyList<double> actual, double tolerance)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= tolerance * Math.Max(1, Math.Abs(expected[i])),
                $"index {i}: expected {expected[i]}, got {actual[i]}");
        }
    }

    internal static double[] Values(Random random, int length) =>
        Enumerable.Range(0, length).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
}
