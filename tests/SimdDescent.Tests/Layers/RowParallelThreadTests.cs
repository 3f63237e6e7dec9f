using System.Numerics;
using SimdDescent.Kernels;
using SimdDescent.Kernels.Operators;
using SimdDescent.Layers;
using SimdDescent.Tests.Kernels.Gemm;
using SimdDescent.Tests.Support;

namespace SimdDescent.Tests.Layers;

/// <summary>
/// The row-wise and column-wise passes split over the GEMM's workers (layer norm, column sums, the dense
/// backward's activation-and-bias pass, a standalone activation): for 2–4 threads, with every split forced,
/// the results are bitwise those of one thread, and one thread's layer-norm backward is bitwise the
/// row-by-row algorithm written out here. Odd widths leave ranges of unequal length and vector tails.
/// The thread count is process-wide, so these run beside no other test.
/// </summary>
[Collection(nameof(GemmResourceTests))]
public sealed class RowParallelThreadTests
{
    // (rows, width): widths below, at and past the 64-column unit of a split, and not multiples of any register.
    private static readonly (int Rows, int Width)[] s_shapes = [(1, 7), (37, 13), (29, 64), (23, 131), (9, 200), (41, 333)];

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Layer_norm_is_bitwise_the_same_on_1_to_4_threads(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        CheckLayerNorm<float>();
        CheckLayerNorm<double>();
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Column_sums_and_the_dense_backward_pass_are_bitwise_the_same_on_1_to_4_threads(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        CheckColumnPasses<float>();
        CheckColumnPasses<double>();
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void An_activation_is_bitwise_the_same_on_1_to_4_threads(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        CheckActivation<float>();
        CheckActivation<double>();
    }

    private static void CheckLayerNorm<T>()
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        foreach (var (rows, width) in s_shapes)
        {
            var random = new Random((rows * 1000) + width);
            var x = TestArrays.Random<T>(random, rows * width, 3.0, 0);
            var dy = TestArrays.Random<T>(random, rows * width, 1.0, 0);
            var weight = TestArrays.Random<T>(random, width, 1.0, 0);
            var bias = TestArrays.Random<T>(random, width, 1.0, 0);
            var one = Passes(1);
            AssertSame(Reference(), one, $"{rows}×{width}, row-by-row reference");
            for (var threads = 2; threads <= 4; threads++)
            {
                AssertSame(one, Passes(threads), $"{rows}×{width}, {threads} threads");
            }

            T[][] Passes(int threads) => SplitThreads.With(threads, () =>
            {
                var (y, mean, rstd) = (new T[rows * width], new T[rows], new T[rows]);
                LayerNorm.Forward<T>(x, weight, bias, y, mean, rstd, rows, width, T.CreateTruncating(1e-5));
                var (dWeight, dBias, dx) = (new T[width], new T[width], new T[rows * width]);
                LayerNorm.Backward<T>(x, dy, weight, mean, rstd, dWeight, dBias, dx, new T[width], rows, width);
                return new[] { y, mean, rstd, dWeight, dBias, dx };
            });

            // The backward as one loop over rows, each row's x̂, dγ and dβ terms and dx in turn.
            T[][] Reference()
            {
                var passes = Passes(1);
                var (mean, rstd) = (passes[1], passes[2]);
                var n = T.CreateTruncating(width);
                var (dWeight, dBias, dx, xHat, g) = (new T[width], new T[width], new T[rows * width], new T[width], new T[width]);
                for (var r = 0; r < rows; r++)
                {
                    var dyRow = dy.AsSpan(r * width, width);
                    for (var j = 0; j < width; j++)
                    {
                        xHat[j] = (x[(r * width) + j] - mean[r]) * rstd[r];
                    }

                    Blas.MultiplyAdd<T>(dyRow, xHat, dWeight, dWeight);
                    if (r == 0)
                    {
                        dyRow.CopyTo(dBias);
                    }
                    else
                    {
                        Blas.Add<T>(dyRow, dBias, dBias);
                    }

                    Blas.Multiply<T>(dyRow, weight, g);
                    var meanG = Reductions.Sum<T>(g) / n;
                    var meanGXhat = Blas.Dot<T>(g, xHat) / n;
                    for (var j = 0; j < width; j++)
                    {
                        dx[(r * width) + j] = (((xHat[j] * -meanGXhat) + g[j]) - meanG) * rstd[r];
                    }
                }

                return [passes[0], mean, rstd, dWeight, dBias, dx];
            }
        }
    }

    private static void CheckColumnPasses<T>()
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        foreach (var (rows, width) in s_shapes)
        {
            var random = new Random((rows * 1000) + width);
            var dy = TestArrays.Random<T>(random, rows * width, 1.0, 0);
            var saved = TestArrays.Random<T>(random, rows * width, 2.0, 0);
            var one = Passes(1);

            // Independent of any split: column j summed down the rows in order.
            var expected = new T[width];
            for (var j = 0; j < width; j++)
            {
                expected[j] = dy[j];
                for (var r = 1; r < rows; r++)
                {
                    expected[j] += dy[(r * width) + j];
                }
            }

            Assert.True(expected.AsSpan().SequenceEqual(one[0]), $"{rows}×{width}: column sums against the sums in row order");
            for (var threads = 2; threads <= 4; threads++)
            {
                AssertSame(one, Passes(threads), $"{rows}×{width}, {threads} threads");
            }

            T[][] Passes(int threads) => SplitThreads.With(threads, () =>
            {
                var sums = new T[width];
                Reductions.ColumnSums<T>(dy, sums, rows, width);
                var (dz, dBias) = (new T[rows * width], new T[width]);
                Gemm.BiasActivationBackward(dy, saved, dz, dBias, rows, width, new GeluBackwardOperator<T>());
                var inPlace = (T[])dy.Clone();
                var dBiasInPlace = new T[width];
                Gemm.BiasActivationBackward(inPlace, saved, inPlace, dBiasInPlace, rows, width, new GeluBackwardOperator<T>());
                return new[] { sums, dz, dBias, inPlace, dBiasInPlace };
            });
        }
    }

    private static void CheckActivation<T>()
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        foreach (var length in new[] { 1, 63, 64, 65, 200, 257, 1000, 4099 })
        {
            var x = TestArrays.Random<T>(new Random(length), length, 4.0, 0);
            var one = Passes(1);
            for (var threads = 2; threads <= 4; threads++)
            {
                AssertSame(one, Passes(threads), $"length {length}, {threads} threads");
            }

            T[][] Passes(int threads) => SplitThreads.With(threads, () =>
            {
                var y = new T[length];
                ActivationLayer.Forward(x, y, new GeluOperator<T>());
                var inPlace = (T[])x.Clone();
                ActivationLayer.Forward(inPlace, inPlace, new GeluOperator<T>());
                return new[] { y, inPlace };
            });
        }
    }

    private static void AssertSame<T>(T[][] expected, T[][] actual, string what)
    {
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(expected[i].AsSpan().SequenceEqual(actual[i]), $"{what}: output {i} differs");
        }
    }
}
