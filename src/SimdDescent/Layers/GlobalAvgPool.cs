using System.Numerics;
using SimdDescent.Kernels;

namespace SimdDescent.Layers;

/// <summary>Global average pooling: each channel plane of an NCHW tensor [batch, channels, h, w] becomes its mean, giving [batch, channels].</summary>
public static class GlobalAvgPool
{
    /// <summary>y[b, c] = mean of x[b, c, :, :] over the <paramref name="planeSize"/> = h·w pixels of each plane.</summary>
    /// <exception cref="ArgumentException">A size is not positive or a span does not hold the number of elements its shape needs.</exception>
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, int planes, int planeSize)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Check(x, y, planes, planeSize);
        var scale = T.One / T.CreateTruncating(planeSize);
        for (var p = 0; p < planes; p++)
        {
            y[p] = Reductions.Sum(x.Slice(p * planeSize, planeSize)) * scale;
        }
    }

    /// <summary>dx[b, c, :, :] = dy[b, c] / (h·w); overwrites dx.</summary>
    /// <exception cref="ArgumentException">A size is not positive or a span does not hold the number of elements its shape needs.</exception>
    public static void Backward<T>(ReadOnlySpan<T> dy, Span<T> dx, int planes, int planeSize)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Check(dx, dy, planes, planeSize);
        var scale = T.One / T.CreateTruncating(planeSize);
        for (var p = 0; p < planes; p++)
        {
            dx.Slice(p * planeSize, planeSize).Fill(dy[p] * scale);
        }
    }

    private static void Check<T>(ReadOnlySpan<T> image, ReadOnlySpan<T> pooled, int planes, int planeSize)
    {
        SpatialChecks.Positive(planes);
        SpatialChecks.Positive(planeSize);
        Guard.Length(image, (long)planes * planeSize);
        Guard.Length(pooled, planes);
    }
}
