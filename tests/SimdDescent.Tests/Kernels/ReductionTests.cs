using System.Numerics;
using SimdDescent.Kernels;
using SimdDescent.Tests.Support;

namespace SimdDescent.Tests.Kernels;

public sealed class ReductionTests
{
    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Sums_and_norms_match_a_double_reference(VectorPath path)
    {
        Case<float>(path);
        Case<double>(path);
    }

    private static void Case<T>(VectorPath path)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        using var _ = SimdDispatch.Force(path);
        var random = new Random(5);
        var eps = TestArrays.Epsilon<T>();
        foreach (var n in Paths.Lengths())
        {
            var data = TestArrays.Random<T>(random, n, 3, offset: 2);
            var x = data.At(2, n);
            var reference = TestArrays.ToDouble<T>(x);
            var sum = reference.Sum();
            var absolute = reference.Sum(Math.Abs);
            var squares = reference.Sum(v => v * v);
            var bound = Math.Sqrt(n + 1) * 2 * eps;

            Assert.InRange(double.CreateTruncating(Reductions.Sum<T>(x)), sum - (bound * absolute) - 1e-300, sum + (bound * absolute) + 1e-300);
            Assert.InRange(double.CreateTruncating(Reductions.SumOfSquares<T>(x)), squares * (1 - bound), squares * (1 + bound));
            Assert.InRange(double.CreateTruncating(Reductions.Norm2<T>(x)), Math.Sqrt(squares) * (1 - bound), Math.Sqrt(squares) * (1 + bound));
            if (n > 0)
            {
                var maxIndex = Array.IndexOf(reference, reference.Max());
                Assert.Equal(reference.Max(), double.CreateTruncating(Reductions.Max<T>(x)));
                Assert.Equal(maxIndex, Reductions.ArgMax<T>(x));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Norm2_neither_overflows_nor_underflows(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        foreach (var n in new[] { 1, 7, 33, 100 })
        {
            var huge = Enumerable.Repeat(3e30f, n).ToArray();
            var tiny = Enumerable.Repeat(3e-30f, n).ToArray();
            var subnormal = Enumerable.Repeat(1e-40f, n).ToArray();
            Assert.Equal(3e30 * Math.Sqrt(n), Reductions.Norm2<float>(huge), 3e30 * Math.Sqrt(n) * 1e-6);
            Assert.Equal(3e-30 * Math.Sqrt(n), Reductions.Norm2<float>(tiny), 3e-30 * Math.Sqrt(n) * 1e-6);
            // Subnormals carry few digits: compare with the stored value, allow the result's subnormal spacing.
            Assert.Equal((double)1e-40f * Math.Sqrt(n), Reductions.Norm2<float>(subnormal), (1e-40 * Math.Sqrt(n) * 1e-6) + 3e-45);
        }

        Assert.Equal(0f, Reductions.Norm2<float>(new float[9]));
        Assert.Equal(float.PositiveInfinity, Reductions.Norm2<float>([1f, float.NegativeInfinity, 2f]));
        Assert.True(float.IsNaN(Reductions.Norm2<float>([1f, float.NaN, float.PositiveInfinity])));
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void MaxMagnitude_is_the_largest_absolute_value(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        var random = new Random(8);
        foreach (var n in Paths.Lengths())
        {
            var x = TestArrays.Random<float>(random, n, 3).At(1, n);
            var expected = n == 0 ? 0f : x.ToArray().Max(MathF.Abs);
            Assert.Equal(expected, Reductions.MaxMagnitude<float>(x));
            if (n > 0)
            {
                x[n / 2] = float.NaN;
                Assert.True(float.IsNaN(Reductions.MaxMagnitude<float>(x)), $"n = {n}");
            }
        }
    }

    [Fact]
    public void Norm2FromSumOfSquares_trusts_only_a_finite_sum_above_the_underflow_range()
    {
        float[] tiny = [3e-30f, 4e-30f];
        float[] huge = [3e30f, 4e30f];
        Assert.Equal(Math.Sqrt(12.25), Reductions.Norm2FromSumOfSquares<float>(12.25, [1f, 2f]));
        // A sum that underflowed or overflowed is recomputed from the elements, rescaled.
        Assert.Equal(5e-30, Reductions.Norm2FromSumOfSquares<float>(0, tiny), 5e-36);
        Assert.Equal(5e30, Reductions.Norm2FromSumOfSquares<float>(double.PositiveInfinity, huge), 5e24);
        Assert.True(double.IsNaN(Reductions.Norm2FromSumOfSquares<float>(double.NaN, [1f, float.NaN])));
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Max_and_ArgMax_handle_special_values(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        for (var n = 1; n <= 40; n++)
        {
            for (var at = 0; at < n; at++)
            {
                var x = Enumerable.Range(0, n).Select(i => (float)-i).ToArray();
                x[at] = float.NaN;
                Assert.True(float.IsNaN(Reductions.Max<float>(x)), $"n = {n}, NaN at {at}");
                Assert.Equal(at, Reductions.ArgMax<float>(x));

                var y = Enumerable.Repeat(float.NegativeInfinity, n).ToArray();
                y[at] = 1e30f;
                y[n - 1 - ((n - 1 - at) / 2)] = 1e30f;
                Assert.Equal(at, Reductions.ArgMax<float>(y));
            }
        }

        Assert.Equal(float.NegativeInfinity, Reductions.Max<float>([float.NegativeInfinity]));
        Assert.Equal(0f, Reductions.Sum<float>([]));
    }

    /// <summary>The IEEE maximum ranks +0 above −0 (the x86 max instructions return whichever comes second).</summary>
    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Max_ranks_positive_zero_above_negative_zero(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        for (var n = 1; n <= 40; n++)
        {
            var negativeZeros = Enumerable.Repeat(-0f, n).ToArray();
            Assert.True(float.IsNegative(Reductions.Max<float>(negativeZeros)), $"n = {n}, all −0");
            Assert.True(double.IsNegative(Reductions.Max<double>(negativeZeros.Select(v => (double)v).ToArray())), $"n = {n}, all −0");
            for (var at = 0; at < n; at++)
            {
                var x = (float[])negativeZeros.Clone();
                x[at] = 0f;
                Assert.False(float.IsNegative(Reductions.Max<float>(x)), $"n = {n}, +0 at {at}");
                var y = x.Select(v => -(double)v).ToArray();
                Assert.Equal(n == 1, double.IsNegative(Reductions.Max<double>(y)));
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Row_reductions_match_a_loop(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        var random = new Random(6);
        foreach (var (rows, width) in new[] { (1, 1), (3, 10), (7, 33), (64, 10), (5, 129) })
        {
            var x = TestArrays.Random<double>(random, rows * width, offset: 0);
            var argMax = new int[rows];
            var sums = new double[width];
            Reductions.ArgMaxRows<double>(x, argMax, rows, width);
            Reductions.ColumnSums<double>(x, sums, rows, width);
            for (var r = 0; r < rows; r++)
            {
                var row = x.AsSpan(r * width, width).ToArray();
                Assert.Equal(Array.IndexOf(row, row.Max()), argMax[r]);
            }

            for (var j = 0; j < width; j++)
            {
                var expected = 0.0;
                for (var r = 0; r < rows; r++)
                {
                    expected += x[(r * width) + j];
                }

                Assert.Equal(expected, sums[j], 1e-12);
            }
        }
    }

    [Fact]
    public void Bad_arguments_throw()
    {
        Assert.Throws<ArgumentException>(() => Reductions.Max<float>([]));
        Assert.Throws<ArgumentException>(() => Reductions.ArgMax<double>([]));
        var e = Assert.Throws<ArgumentException>(() => Reductions.ArgMaxRows<float>(new float[10], new int[3], 3, 4));
        Assert.Contains("12", e.Message);
        Assert.Throws<ArgumentException>(() => Reductions.ArgMaxRows<float>(new float[12], new int[2], 3, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => Reductions.ColumnSums<float>(new float[12], new float[4], -3, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => Reductions.ColumnSums<float>(new float[12], new float[4], 3, 0));
        Assert.Throws<ArgumentException>(() => Reductions.ColumnSums<float>(new float[12], new float[3], 3, 4));
        var shared = new float[16];
        Assert.Throws<ArgumentException>(() => Reductions.ColumnSums<float>(shared.AsSpan(0, 12), shared.AsSpan(8, 4), 3, 4));
    }
}
