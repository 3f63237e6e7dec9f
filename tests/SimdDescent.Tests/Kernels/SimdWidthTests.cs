using System.Numerics;
using SimdDescent.Kernels;
using SimdDescent.Kernels.Operators;
using SimdDescent.Tests.Support;

namespace SimdDescent.Tests.Kernels;

/// <summary>
/// Operators written as a user would, against the public <see cref="ISimdWidth{T, TVector}"/>, and run
/// through <see cref="Blas.Map{T, TOperator}(TOperator, ReadOnlySpan{T}, Span{T})"/> on every width:
/// each width's square root, IEEE maximum, rectifier and subnormal flush against the scalar formula, bit
/// for bit (every lane of a register meets special values: the inputs cycle through them).
/// </summary>
public sealed class SimdWidthTests
{
    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Sqrt_is_correctly_rounded(VectorPath path)
    {
        Unary<float>(path, Member.Sqrt, x => float.Sqrt(x));
        Unary<double>(path, Member.Sqrt, x => double.Sqrt(x));
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void PositivePart_is_max_with_positive_zero(VectorPath path)
    {
        Unary<float>(path, Member.PositivePart, x => float.IsNaN(x) ? x : float.Max(x, 0f));
        Unary<double>(path, Member.PositivePart, x => double.IsNaN(x) ? x : double.Max(x, 0d));
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void FlushSubnormals_makes_subnormals_and_negative_zero_positive_zero(VectorPath path)
    {
        Unary<float>(path, Member.FlushSubnormals, x => float.IsSubnormal(x) || x == 0 ? 0f : x);
        Unary<double>(path, Member.FlushSubnormals, x => double.IsSubnormal(x) || x == 0 ? 0d : x);
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Maximum_propagates_NaN_and_orders_zeros(VectorPath path)
    {
        Binary<float>(path, (x, y) => float.Max(x, y));
        Binary<double>(path, (x, y) => double.Max(x, y));
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void The_README_operator_maps_every_length(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        var random = new Random(4);
        foreach (var n in Paths.Lengths())
        {
            var x = TestArrays.Random<float>(random, n, 10).At(1, n);
            var result = new float[n];
            Blas.Map(new SquarePlus(1f), x, result);
            for (var i = 0; i < n; i++)
            {
                // Fused or not, x² + 1 is within one rounding of the exact value.
                var exact = ((double)x[i] * x[i]) + 1;
                Assert.True(Math.Abs(result[i] - exact) <= exact * 1.2e-7, $"n = {n}, x = {x[i]}: {result[i]}");
            }
        }
    }

    private static void Unary<T>(VectorPath path, Member member, Func<T, T> expected)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        using var _ = SimdDispatch.Force(path);
        var specials = Specials<T>();
        foreach (var n in new[] { 1, 3, 8, 17, 64, 131 })
        {
            for (var shift = 0; shift < specials.Length; shift++)
            {
                var x = Enumerable.Range(0, n).Select(i => specials[(i + shift) % specials.Length]).ToArray();
                var result = new T[n];
                Blas.Map(new MemberOperator<T>(member), x, result);
                for (var i = 0; i < n; i++)
                {
                    AssertSame(expected(x[i]), result[i], $"{member}({x[i]}), n = {n}, lane {i}");
                }
            }
        }
    }

    private static void Binary<T>(VectorPath path, Func<T, T, T> expected)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        using var _ = SimdDispatch.Force(path);
        var specials = Specials<T>();
        const int n = 67;
        for (var shift = 0; shift < specials.Length; shift++)
        {
            var x = Enumerable.Range(0, n).Select(i => specials[i % specials.Length]).ToArray();
            var y = Enumerable.Range(0, n).Select(i => specials[(i + shift) % specials.Length]).ToArray();
            var result = new T[n];
            Blas.Map(default(MaximumOperator<T>), x, y, result);
            for (var i = 0; i < n; i++)
            {
                AssertSame(expected(x[i], y[i]), result[i], $"Maximum({x[i]}, {y[i]}), lane {i}");
            }
        }
    }

    /// <summary>Equal bit patterns, except that any NaN matches any NaN.</summary>
    private static void AssertSame<T>(T expected, T actual, string what)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (T.IsNaN(expected))
        {
            Assert.True(T.IsNaN(actual), $"{what}: expected NaN, got {actual}");
            return;
        }

        Assert.True(
            expected.Equals(actual) && T.IsNegative(expected) == T.IsNegative(actual),
            $"{what}: expected {expected}{(T.IsNegative(expected) ? " (negative)" : "")}, got {actual}{(T.IsNegative(actual) ? " (negative)" : "")}");
    }

    private static T[] Specials<T>()
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var minNormal = T.ScaleB(T.One, typeof(T) == typeof(float) ? -126 : -1022);
        var largestSubnormal = T.BitDecrement(minNormal);
        return
        [
            T.Zero, T.NegativeZero, T.One, -T.One, T.CreateTruncating(2.5), T.CreateTruncating(-1e-3),
            T.Epsilon, -T.Epsilon, largestSubnormal, -largestSubnormal, minNormal, -minNormal,
            T.BitDecrement(T.PositiveInfinity), T.BitIncrement(T.NegativeInfinity), T.PositiveInfinity, T.NegativeInfinity, T.NaN, T.CreateTruncating(1e20), T.CreateTruncating(0.7),
        ];
    }

    private enum Member
    {
        Sqrt,
        PositivePart,
        FlushSubnormals,
    }

    /// <summary>One unary member of the width, chosen per call (a test, so the switch may stay in the loop).</summary>
    private readonly struct MemberOperator<T>(Member member) : IUnaryOperator<T>
        where T : unmanaged
    {
        public TVector Invoke<TWidth, TVector>(TVector x)
            where TWidth : struct, ISimdWidth<T, TVector>
            where TVector : struct
            => member switch
            {
                Member.Sqrt => TWidth.Sqrt(x),
                Member.PositivePart => TWidth.PositivePart(x),
                _ => TWidth.FlushSubnormals(x),
            };
    }

    private readonly struct MaximumOperator<T> : IBinaryOperator<T>
        where T : unmanaged
    {
        public TVector Invoke<TWidth, TVector>(TVector x, TVector y)
            where TWidth : struct, ISimdWidth<T, TVector>
            where TVector : struct
            => TWidth.Maximum(x, y);
    }

    private readonly struct SquarePlus(float c) : IUnaryOperator<float>
    {
        public TVector Invoke<TWidth, TVector>(TVector x)
            where TWidth : struct, ISimdWidth<float, TVector>
            where TVector : struct
            => TWidth.MultiplyAdd(x, x, TWidth.Broadcast(c));
    }
}
