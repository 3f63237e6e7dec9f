using System.Numerics;
using SimdDescent.Kernels;
using SimdDescent.Tests.Support;

namespace SimdDescent.Tests.Kernels;

/// <summary>
/// Accuracy of the vectorized exp and log over dense sweeps of their ranges, in ulps against Math.Exp /
/// Math.Log rounded to the element type. These bounds are the ones documented on SimdMath.
/// </summary>
public sealed class SimdMathTests
{
    private const long ExpMaxUlps = 1;
    private const long LogFloatMaxUlps = 2;
    private const long LogDoubleMaxUlps = 1;

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Exp_float_is_within_the_documented_ulps(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        var x = Sweep(-104.0, 89.0, 400_000).Select(v => (float)v).ToArray();
        var y = new float[x.Length];
        SimdMath.Exp<float>(x, y);
        AssertUlps(x, y, v => (float)Math.Exp(v), ExpMaxUlps);
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Exp_double_is_within_the_documented_ulps(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        var x = Sweep(-745.0, 709.7, 400_000).ToArray();
        var y = new double[x.Length];
        SimdMath.Exp<double>(x, y);
        AssertUlps(x, y, Math.Exp, ExpMaxUlps);
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Log_float_is_within_the_documented_ulps(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        // Log-spaced over every binade, subnormals included.
        var x = Sweep(-149 * Math.Log(2), 127.9 * Math.Log(2), 400_000).Select(v => (float)Math.Exp(v)).Where(v => v > 0).ToArray();
        var y = new float[x.Length];
        SimdMath.Log<float>(x, y);
        AssertUlps(x, y, v => (float)Math.Log(v), LogFloatMaxUlps);
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Log_double_is_within_the_documented_ulps(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        var x = Sweep(-1074 * Math.Log(2), 1023.9 * Math.Log(2), 400_000).Select(Math.Exp).Where(v => v > 0).ToArray();
        var y = new double[x.Length];
        SimdMath.Log<double>(x, y);
        AssertUlps(x, y, Math.Log, LogDoubleMaxUlps);
    }

    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void Special_values(VectorPath path)
    {
        using var _ = SimdDispatch.Force(path);
        float[] x = [float.NaN, float.PositiveInfinity, float.NegativeInfinity, 0f, -0f, 1e-45f, 100f, -200f, 1f];
        var e = new float[x.Length];
        var l = new float[x.Length];
        SimdMath.Exp<float>(x, e);
        SimdMath.Log<float>(x, l);
        Assert.True(float.IsNaN(e[0]));
        Assert.Equal(float.PositiveInfinity, e[1]);
        Assert.Equal(0f, e[2]);
        Assert.Equal(1f, e[3]);
        Assert.Equal(1f, e[4]);
        Assert.Equal(float.PositiveInfinity, e[6]);
        Assert.Equal(0f, e[7]);
        Assert.True(float.IsNaN(l[0]));
        Assert.Equal(float.PositiveInfinity, l[1]);
        Assert.True(float.IsNaN(l[2]));
        Assert.Equal(float.NegativeInfinity, l[3]);
        Assert.Equal(float.NegativeInfinity, l[4]);
        Assert.Equal((float)Math.Log(1e-45f), l[5], 1e-5f);
        Assert.True(float.IsNaN(l[7]));
        Assert.Equal(0f, l[8]);
    }

    private static IEnumerable<double> Sweep(double from, double to, int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return from + ((to - from) * i / (count - 1));
        }
    }

    private static void AssertUlps<T>(T[] x, T[] actual, Func<T, T> reference, long maxUlps)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        long worst = 0;
        var worstAt = T.Zero;
        for (var i = 0; i < x.Length; i++)
        {
            var ulps = TestArrays.Ulps(actual[i], reference(x[i]));
            if (ulps > worst)
            {
                worst = ulps;
                worstAt = x[i];
            }
        }

        Assert.True(worst <= maxUlps, $"worst error {worst} ulp at x = {worstAt}");
    }
}
