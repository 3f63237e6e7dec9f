namespace SimdDescent.Tests.Support;

/// <summary>Random inputs placed at an odd offset inside a larger array, so loads are unaligned.</summary>
public static class TestArrays
{
    public static T[] Random<T>(Random random, int length, double scale = 1.0, int offset = 1)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var data = new T[length + offset];
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = T.CreateTruncating(((random.NextDouble() * 2) - 1) * scale);
        }

        return data;
    }

    /// <summary>A view of <paramref name="data"/> starting at <paramref name="offset"/>.</summary>
    public static Span<T> At<T>(this T[] data, int offset, int length) => data.AsSpan(offset, length);

    public static double[] ToDouble<T>(ReadOnlySpan<T> x)
        where T : unmanaged, System.Numerics.INumberBase<T>
    {
        var result = new double[x.Length];
        for (var i = 0; i < x.Length; i++)
        {
            result[i] = double.CreateTruncating(x[i]);
        }

        return result;
    }

    /// <summary>Machine epsilon of T as a double.</summary>
    public static double Epsilon<T>() => typeof(T) == typeof(float) ? 1.1920929e-7 : 2.220446049250313e-16;

    /// <summary>Distance in units in the last place between two values of T (NaN equal to NaN; ±0 equal).</summary>
    public static long Ulps<T>(T actual, T expected)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        if (T.IsNaN(actual) && T.IsNaN(expected))
        {
            return 0;
        }

        if (T.IsNaN(actual) || T.IsNaN(expected))
        {
            return long.MaxValue;
        }

        if (actual == expected)
        {
            return 0;
        }

        return Math.Abs(Ordered(actual) - Ordered(expected));

        static long Ordered(T v)
        {
            long bits = typeof(T) == typeof(float)
                ? BitConverter.SingleToInt32Bits(float.CreateTruncating(v))
                : BitConverter.DoubleToInt64Bits(double.CreateTruncating(v));
            return bits < 0 ? (typeof(T) == typeof(float) ? int.MinValue : long.MinValue) - bits : bits;
        }
    }
}
