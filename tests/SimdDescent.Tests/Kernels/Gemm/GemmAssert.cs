using System.Numerics;

namespace SimdDescent.Tests.Kernels.Gemm;

/// <summary>
/// Compares a GEMM result with the naive double reference. The tolerance is relative to the size of
/// the terms, Σₚ|aᵢₚ·bₚⱼ| (plus |beta·c|): a k-term sum rounded in T (fused or not) errs by at most
/// about k·ε of that, while a wrong index or a missed term errs by a sizable fraction of it.
/// </summary>
internal static class GemmAssert
{
    public static double Epsilon<T>() => typeof(T) == typeof(float) ? Math.ScaleB(1, -23) : Math.ScaleB(1, -52);

    public static double Tolerance<T>(int k) => 2 * (k + 4) * Epsilon<T>();

    public static void Close<T>(double expected, T actual, double magnitude, double tolerance, string where)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var value = double.CreateChecked(actual);
        if (double.IsNaN(expected))
        {
            Assert.True(double.IsNaN(value), $"{where}: expected NaN, got {value}.");
            return;
        }

        if (double.IsInfinity(expected))
        {
            Assert.True(value == expected, $"{where}: expected {expected}, got {value}.");
            return;
        }

        var bound = (tolerance * magnitude) + 1e-300;
        Assert.True(Math.Abs(value - expected) <= bound, $"{where}: expected {expected}, got {value} (bound {bound:E2}).");
    }

    /// <summary>Checks C = alpha·op(A)·op(B) + beta·C₀ element by element, and that C outside the sub-matrix is untouched.</summary>
    public static void Multiplied<T>(GemmCase<T> g, T alpha, T beta, string label)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var a = double.CreateChecked(alpha);
        var b = double.CreateChecked(beta);
        var tolerance = Tolerance<T>(g.K);
        for (var i = 0; i < g.M; i++)
        {
            for (var j = 0; j < g.N; j++)
            {
                var (sum, magnitude) = g.Reference(i, j);
                var old = double.CreateChecked(g.Original[(i * g.Ldc) + j]);
                var expected = b == 0 ? a * sum : (a * sum) + (b * old);
                var scale = (Math.Abs(a) * magnitude) + (b == 0 ? 0 : Math.Abs(b * old));
                Close(expected, g.C[(i * g.Ldc) + j], scale, tolerance, $"{label} C[{i},{j}]");
            }
        }

        g.AssertOutsideUntouched();
    }

    /// <summary>0, 1, …, count − 1 in a random order.</summary>
    public static int[] Permutation(Random random, int count, int start = 1)
    {
        var values = Enumerable.Range(start, count).ToArray();
        random.Shuffle(values);
        return values;
    }
}
