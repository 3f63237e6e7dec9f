using System.Numerics;
using System.Runtime.InteropServices;
using SimdDescent.Kernels;
using SimdDescent.Tests.Support;

namespace SimdDescent.Tests.Kernels;

public sealed class BlasTests
{
    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Dot_matches_a_double_reference(VectorPath path)
    {
        DotCase<float>(path);
        DotCase<double>(path);
    }

    private static void DotCase<T>(VectorPath path)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        using var _ = SimdDispatch.Force(path);
        var random = new Random(1);
        foreach (var n in Paths.Lengths())
        {
            var x = TestArrays.Random<T>(random, n, offset: 3);
            var y = TestArrays.Random<T>(random, n, offset: 1);
            double expected = 0, magnitude = 0;
            for (var i = 0; i < n; i++)
            {
                var term = double.CreateTruncating(x[i + 3]) * double.CreateTruncating(y[i + 1]);
                expected += term;
                magnitude += Math.Abs(term);
            }

            var actual = double.CreateTruncating(Blas.Dot<T>(x.At(3, n), y.At(1, n)));
            Assert.True(Math.Abs(actual - expected) <= 2 * TestArrays.Epsilon<T>() * (magnitude + 1e-30) * Math.Sqrt(n + 1),
                $"n = {n}: {actual} vs {expected}");
        }
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Elementwise_ops_match_a_double_reference(VectorPath path)
    {
        ElementwiseCases<float>(path);
        ElementwiseCases<double>(path);
    }

    private static void ElementwiseCases<T>(VectorPath path)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        using var _ = SimdDispatch.Force(path);
        var random = new Random(2);
        var a = T.CreateTruncating(-1.75);
        foreach (var n in Paths.Lengths())
        {
            var x = TestArrays.Random<T>(random, n, 10, offset: 1);
            var y = TestArrays.Random<T>(random, n, 10, offset: 2);
            var z = TestArrays.Random<T>(random, n, 10, offset: 3);
            var d = new T[n + 5];

            Check(n, x, 1, d, (i) => Blas.Add<T>(x.At(1, n), y.At(2, n), d.At(5, n)), i => D(x[i + 1]) + D(y[i + 2]), 0.5);
            Check(n, x, 1, d, (i) => Blas.Subtract<T>(x.At(1, n), y.At(2, n), d.At(5, n)), i => D(x[i + 1]) - D(y[i + 2]), 0.5);
            Check(n, x, 1, d, (i) => Blas.Multiply<T>(x.At(1, n), y.At(2, n), d.At(5, n)), i => D(x[i + 1]) * D(y[i + 2]), 0.5);
            Check(n, x, 1, d, (i) => Blas.Scale(a, x.At(1, n), d.At(5, n)), i => D(a) * D(x[i + 1]), 0.5);
            Check(n, x, 1, d, (i) => Blas.Clamp(x.At(1, n), T.CreateTruncating(-3), T.CreateTruncating(4), d.At(5, n)),
                i => Math.Clamp(D(x[i + 1]), -3, 4), 0);
            // Fused or not, x·y + z is within one rounding of the product and one of the sum.
            Check(n, x, 1, d, (i) => Blas.MultiplyAdd<T>(x.At(1, n), y.At(2, n), z.At(3, n), d.At(5, n)),
                i => (D(x[i + 1]) * D(y[i + 2])) + D(z[i + 3]), 1, absolute: i => Math.Abs(D(x[i + 1]) * D(y[i + 2])));

            var yCopy = (T[])y.Clone();
            Blas.Axpy(a, x.At(1, n), y.At(2, n));
            for (var i = 0; i < n; i++)
            {
                var expected = (D(a) * D(x[i + 1])) + D(yCopy[i + 2]);
                AssertClose(expected, D(y[i + 2]), TestArrays.Epsilon<T>() * (Math.Abs(expected) + Math.Abs(D(a) * D(x[i + 1]))), n, i);
            }

            Assert.Equal(yCopy[0], y[0]);
            Assert.Equal(yCopy[1], y[1]);
        }
    }

    private static void Check<T>(int n, T[] x, int xOffset, T[] d, Action<int> run, Func<int, double> reference, double ulps, Func<int, double>? absolute = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Array.Fill(d, T.CreateTruncating(12345));
        run(0);
        for (var i = 0; i < n; i++)
        {
            var expected = reference(i);
            var tolerance = TestArrays.Epsilon<T>() * ((ulps * Math.Abs(expected)) + (absolute?.Invoke(i) ?? 0));
            AssertClose(expected, D(d[i + 5]), tolerance, n, i);
        }

        // Nothing outside the destination view is written.
        for (var i = 0; i < 5; i++)
        {
            Assert.Equal(T.CreateTruncating(12345), d[i]);
        }
    }

    private static void AssertClose(double expected, double actual, double tolerance, int n, int i) =>
        Assert.True(Math.Abs(actual - expected) <= tolerance, $"n = {n}, i = {i}: expected {expected}, got {actual}");

    private static double D<T>(T v)
        where T : INumberBase<T> => double.CreateTruncating(v);

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void In_place_operations_read_every_input_before_overwriting_it(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        var random = new Random(3);
        foreach (var n in Paths.Lengths())
        {
            var x = TestArrays.Random<float>(random, n, offset: 0);
            var expected = x.Select(v => v * 3f).ToArray();
            Blas.Scale(3f, x);
            Assert.Equal(expected, x);
        }
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Every_destination_alignment_gives_exact_results_in_and_out_of_place(VectorPath path)
    {
        // The element-wise loop starts at the first register-aligned destination address; sixteen float
        // offsets in one array cover every position modulo 64 bytes, in place and out of place.
        using var _ = SimdDispatch.Force(path);
        var random = new Random(4);
        int[] lengths = [1, 15, 16, 17, 31, 32, 33, 47, 63, 64, 65, 80, 127, 129, 257, 1000];
        foreach (var n in lengths)
        {
            var x = TestArrays.Random<float>(random, n, offset: 0);
            var y = TestArrays.Random<float>(random, n, offset: 0);
            for (var offset = 0; offset < 16; offset++)
            {
                var d = new float[(2 * n) + 16];
                Array.Fill(d, 12345f);
                Blas.Add<float>(x, y, d.AsSpan(offset, n));
                for (var i = 0; i < d.Length; i++)
                {
                    var expected = i >= offset && i < offset + n ? x[i - offset] + y[i - offset] : 12345f;
                    Assert.True(expected == d[i], $"Add, n = {n}, offset = {offset}, i = {i}: {d[i]} instead of {expected}");
                }

                x.CopyTo(d, offset);
                Blas.Clamp(d.AsSpan(offset, n), -0.5f, 0.25f, d.AsSpan(offset, n));
                y.CopyTo(d, offset + n);
                Blas.Axpy(2f, d.AsSpan(offset + n, n), d.AsSpan(offset, n));
                for (var i = 0; i < n; i++)
                {
                    var expected = MathF.FusedMultiplyAdd(2f, y[i], Math.Clamp(x[i], -0.5f, 0.25f));
                    var unfused = (2f * y[i]) + Math.Clamp(x[i], -0.5f, 0.25f);
                    Assert.True(d[offset + i] == expected || d[offset + i] == unfused, $"in place, n = {n}, offset = {offset}, i = {i}");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Special_values_propagate(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        float[] x = [0f, -0f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 1e30f, -1e30f, 1e-40f, 2f, 3f, 4f, 5f, 6f, 7f, 8f, 9f, 10f];
        var d = new float[x.Length];
        Blas.Multiply<float>(x, x, d);
        for (var i = 0; i < x.Length; i++)
        {
            Assert.Equal(x[i] * x[i], d[i]);
        }

        Blas.Clamp<float>(x, -1f, 1f, d);
        Assert.True(float.IsNaN(d[4]));
        Assert.Equal(1f, d[2]);
        Assert.Equal(-1f, d[3]);
        Assert.True(float.IsNaN(Blas.Dot<float>(x, x)));
        Assert.Equal(float.PositiveInfinity, Blas.Dot<float>(x.AsSpan(0, 4), x.AsSpan(0, 4)));
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Dot_does_not_depend_on_the_input_address(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        var random = new Random(4);
        var x = TestArrays.Random<float>(random, 1000, offset: 0);
        var y = TestArrays.Random<float>(random, 1000, offset: 0);
        var expected = Blas.Dot<float>(x, y);
        for (var offset = 1; offset < 8; offset++)
        {
            var xs = new float[1000 + offset];
            var ys = new float[1000 + offset];
            x.CopyTo(xs, offset);
            y.CopyTo(ys, offset);
            Assert.Equal(expected, Blas.Dot<float>(xs.AsSpan(offset), ys.AsSpan(offset)));
        }
    }

    /// <summary>
    /// On AVX-512 hardware dots of L1-resident length read aligned blocks and rebuild each register with
    /// a permute that depends on each span's own misalignment (none for a span that starts on a 64-byte
    /// boundary); every pair of offsets from a 64-byte boundary must give the same bits. 6,144 floats is
    /// the longest realigned length, 7,000 takes the plain loop.
    /// </summary>
    [Theory]
    [InlineData(255)]
    [InlineData(512)]
    [InlineData(601)]
    [InlineData(1000)]
    [InlineData(6144)]
    [InlineData(7000)]
    public void Dot_is_bitwise_the_same_at_every_pair_of_element_offsets(int length)
    {
        AssertSameAtEveryOffsetPair<float>(length);
        AssertSameAtEveryOffsetPair<double>(length);
    }

    private static unsafe void AssertSameAtEveryOffsetPair<T>(int length)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        using var _ = SimdDispatch.Force(VectorPath.Vector512);
        var random = new Random(length);
        var x = TestArrays.Random<T>(random, length, offset: 0);
        var y = TestArrays.Random<T>(random, length, offset: 0);
        var expected = Blas.Dot<T>(x, y);
        var reference = 0.0;
        for (var i = 0; i < length; i++)
        {
            reference += double.CreateTruncating(x[i]) * double.CreateTruncating(y[i]);
        }

        Assert.True(Math.Abs(double.CreateTruncating(expected) - reference) <= 1e-4 * length, $"Dot {expected} against Σ {reference}.");
        var offsets = 64 / sizeof(T);
        var bytes = (nuint)((length + offsets) * sizeof(T));
        var xBlock = (T*)NativeMemory.AlignedAlloc(bytes, 64);
        var yBlock = (T*)NativeMemory.AlignedAlloc(bytes, 64);
        try
        {
            for (var xOffset = 0; xOffset < offsets; xOffset++)
            {
                var xs = new Span<T>(xBlock + xOffset, length);
                x.CopyTo(xs);
                for (var yOffset = 0; yOffset < offsets; yOffset++)
                {
                    var ys = new Span<T>(yBlock + yOffset, length);
                    y.CopyTo(ys);
                    var actual = Blas.Dot<T>(xs, ys);
                    Assert.True(expected == actual, $"{typeof(T).Name}, n = {length}, offsets {xOffset} / {yOffset}: {actual} instead of {expected}.");
                }
            }
        }
        finally
        {
            NativeMemory.AlignedFree(xBlock);
            NativeMemory.AlignedFree(yBlock);
        }
    }

    [Fact]
    public void Bad_arguments_throw_with_the_expected_size()
    {
        var four = new float[4];
        var three = new float[3];
        var e = Assert.Throws<ArgumentException>(() => Blas.Dot<float>(four, three));
        Assert.Contains("4", e.Message);
        Assert.Equal("y", e.ParamName);
        Assert.Throws<ArgumentException>(() => Blas.Add<float>(four, four, three));
        Assert.Throws<ArgumentException>(() => Blas.Axpy<float>(1f, four, three));
        Assert.Throws<ArgumentException>(() => Blas.MultiplyAdd<float>(four, four, three, four));
        Assert.Throws<ArgumentException>(() => Blas.Clamp<float>(four, 2f, 1f, four));
        Assert.Throws<ArgumentException>(() => Blas.Clamp<float>(four, float.NaN, 1f, four));
        var data = new float[8];
        Assert.Throws<ArgumentException>(() => Blas.Scale(2f, data.AsSpan(0, 4), data.AsSpan(1, 4)));
        Assert.Throws<NotSupportedException>(() => Blas.Dot<Half>(new Half[2], new Half[2]));
    }
}
