using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using SimdDescent.Kernels;
using SimdDescent.Tests.Support;

namespace SimdDescent.Tests.Kernels;

public sealed class SoftmaxAndLossTests
{
    private static double[] SoftmaxReference(double[] row)
    {
        var max = row.Max();
        var e = row.Select(v => Math.Exp(v - max)).ToArray();
        var s = e.Sum();
        return e.Select(v => v / s).ToArray();
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Softmax_and_LogSoftmax_match_a_double_reference(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        var random = new Random(9);
        foreach (var width in Paths.Lengths().Where(n => n > 0))
        {
            const int rows = 3;
            var x = TestArrays.Random<float>(random, rows * width, 20, offset: 1).AsSpan(1).ToArray();
            var p = new float[x.Length];
            var lp = new float[x.Length];
            Softmax.Forward<float>(x, p, rows, width);
            LogSoftmax.Forward<float>(x, lp, rows, width);
            for (var r = 0; r < rows; r++)
            {
                var row = x.AsSpan(r * width, width).ToArray().Select(v => (double)v).ToArray();
                var expected = SoftmaxReference(row);
                for (var j = 0; j < width; j++)
                {
                    Assert.Equal(expected[j], p[(r * width) + j], 1e-6 * (expected[j] + 1e-30) * 10 + 1e-12);
                    Assert.Equal(Math.Log(expected[j]), lp[(r * width) + j], 1e-5 * (1 + Math.Abs(Math.Log(expected[j]))));
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Softmax_in_place_equals_softmax_into_a_separate_buffer_in_double(VectorPath path)
    {
        // In place, the overlapping last register of each pass must be read before the pass stores.
        using var _ = SimdDispatch.Force(path);
        var random = new Random(21);
        foreach (var width in Paths.Lengths().Where(n => n > 0))
        {
            const int rows = 2;
            var x = TestArrays.Random<double>(random, rows * width, 30, offset: 0);
            var separate = new double[x.Length];
            Softmax.Forward<double>(x, separate, rows, width);
            Softmax.Forward<double>(x, x, rows, width);
            Assert.Equal(separate, x);
            for (var r = 0; r < rows; r++)
            {
                Assert.Equal(1.0, separate.AsSpan(r * width, width).ToArray().Sum(), 1e-13);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Softmax_is_stable_for_huge_logits(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        float[] x = [1e30f, -1e30f, 1e30f, 0f, 3f, -3f, 1e-40f, 7f, 7f];
        var p = new float[x.Length];
        var lp = new float[x.Length];
        Softmax.Forward<float>(x, p, 1, x.Length);
        LogSoftmax.Forward<float>(x, lp, 1, x.Length);
        Assert.Equal([0.5f, 0f, 0.5f, 0f, 0f, 0f, 0f, 0f, 0f], p);
        Assert.Equal(-MathF.Log(2), lp[0], 1e-6f);
        Assert.Equal(-2e30f, lp[1], 1e24f);
        Assert.All(lp, v => Assert.True(float.IsFinite(v)));
        var loss = Losses.SoftmaxCrossEntropy<float>(x, [1], new float[x.Length], 1, x.Length);
        Assert.Equal(2e30f, loss, 1e24f);
    }

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public Property Softmax_rows_sum_to_one_and_are_shift_invariant(NonEmptyArray<NormalFloat> values, NormalFloat shift)
    {
        var x = values.Get.Select(v => (float)Math.Clamp(v.Get, -1e3, 1e3)).ToArray();
        var c = (float)Math.Clamp(shift.Get, -100, 100);
        var p = new float[x.Length];
        var q = new float[x.Length];
        Softmax.Forward<float>(x, p, 1, x.Length);
        Softmax.Forward<float>(x.Select(v => v + c).ToArray(), q, 1, x.Length);
        var sumsToOne = Math.Abs(p.Sum(v => (double)v) - 1) < 1e-5;
        // Adding c rounds each x + c, so the comparison allows the perturbation that rounding causes.
        var invariant = p.Zip(q).All(t => Math.Abs(t.First - t.Second) <= 1e-4 * (1 + (Math.Abs(c) * 1e-3)) + (Math.Abs(c) * 2e-7));
        return (sumsToOne && invariant).Label($"sum {p.Sum()}, max diff {p.Zip(q).Max(t => Math.Abs(t.First - t.Second))}");
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void SoftmaxCrossEntropy_returns_the_mean_loss_and_its_gradient(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        var random = new Random(10);
        foreach (var (rows, classes) in new[] { (1, 1), (1, 10), (4, 3), (64, 10), (7, 33), (3, 257) })
        {
            var x = TestArrays.Random<double>(random, rows * classes, 5, offset: 0);
            var labels = Enumerable.Range(0, rows).Select(_ => random.Next(classes)).ToArray();
            var gradient = new double[x.Length];
            var loss = Losses.SoftmaxCrossEntropy<double>(x, labels, gradient, rows, classes);
            var lossOnly = Losses.SoftmaxCrossEntropy<double>(x, labels, [], rows, classes);
            double expected = 0;
            for (var r = 0; r < rows; r++)
            {
                var p = SoftmaxReference(x.AsSpan(r * classes, classes).ToArray());
                expected -= Math.Log(p[labels[r]]) / rows;
                for (var j = 0; j < classes; j++)
                {
                    var g = (p[j] - (j == labels[r] ? 1 : 0)) / rows;
                    Assert.Equal(g, gradient[(r * classes) + j], 1e-12);
                }
            }

            Assert.Equal(expected, loss, 1e-12);
            Assert.Equal(loss, lossOnly, 1e-12);

            // The gradient is that of the returned loss: a central difference on one logit agrees.
            var k = random.Next(x.Length);
            const double h = 1e-6;
            var plus = (double[])x.Clone();
            var minus = (double[])x.Clone();
            plus[k] += h;
            minus[k] -= h;
            var numeric = (Losses.SoftmaxCrossEntropy<double>(plus, labels, [], rows, classes) - Losses.SoftmaxCrossEntropy<double>(minus, labels, [], rows, classes)) / (2 * h);
            Assert.Equal(numeric, gradient[k], 1e-7);
        }
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Mse_and_binary_cross_entropy_match_their_formulas(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        var random = new Random(11);
        foreach (var n in Paths.Lengths().Where(n => n > 0))
        {
            var p = TestArrays.Random<double>(random, n, 30, offset: 0);
            var t = TestArrays.Random<double>(random, n, 1, offset: 0).Select(v => (v + 1) / 2).ToArray();
            var g = new double[n];
            var mse = Losses.MeanSquaredError<double>(p, t, g);
            Assert.Equal(p.Zip(t).Average(z => (z.First - z.Second) * (z.First - z.Second)), mse, 1e-12 * (1 + mse));
            for (var i = 0; i < n; i++)
            {
                Assert.Equal(2 * (p[i] - t[i]) / n, g[i], 1e-14);
            }

            var bce = Losses.BinaryCrossEntropyWithLogits<double>(p, t, g);
            var expected = p.Zip(t).Average(z => Math.Max(z.First, 0) - (z.First * z.Second) + Math.Log(1 + Math.Exp(-Math.Abs(z.First))));
            Assert.Equal(expected, bce, 1e-12 * (1 + expected));
            for (var i = 0; i < n; i++)
            {
                Assert.Equal(((1 / (1 + Math.Exp(-p[i]))) - t[i]) / n, g[i], 1e-14);
            }
        }

        Assert.Equal(1e30f, Losses.BinaryCrossEntropyWithLogits<float>([1e30f], [0f], []), 1e24f);
        Assert.Equal(0f, Losses.BinaryCrossEntropyWithLogits<float>([1e30f], [1f], []));
    }

    [Fact]
    public void Bad_arguments_throw_with_the_expected_shape()
    {
        var e = Assert.Throws<ArgumentException>(() => Softmax.Forward<float>(new float[10], new float[10], 3, 4));
        Assert.Contains("3 × 4 = 12", e.Message);
        Assert.Throws<ArgumentException>(() => Softmax.Forward<float>(new float[12], new float[11], 3, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => LogSoftmax.Forward<float>(new float[12], new float[12], -3, -4));
        Assert.Throws<ArgumentOutOfRangeException>(() => Losses.SoftmaxCrossEntropy<float>(new float[6], [0, 3], [], 2, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Losses.SoftmaxCrossEntropy<float>(new float[6], [0, -1], [], 2, 3));
        Assert.Throws<ArgumentException>(() => Losses.SoftmaxCrossEntropy<float>(new float[6], [0], [], 2, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => Losses.SoftmaxCrossEntropy<float>([], [], [], 0, 3));
        Assert.Throws<ArgumentException>(() => Losses.SoftmaxCrossEntropy<float>(new float[6], [0, 1], new float[5], 2, 3));
        Assert.Throws<ArgumentException>(() => Losses.MeanSquaredError<float>(new float[3], new float[4], []));
        Assert.Throws<ArgumentException>(() => Losses.MeanSquaredError<float>([], [], []));
        Assert.Throws<ArgumentException>(() => Losses.BinaryCrossEntropyWithLogits<float>(new float[3], new float[3], new float[2]));
    }
}
