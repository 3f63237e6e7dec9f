using System.Numerics;
using SimdDescent.Kernels;

namespace SimdDescent.Layers;

/// <summary>Average pooling over NCHW tensors (see <see cref="Pool2DShape"/>): each output is the mean of its kernel × kernel window.</summary>
public static class AvgPool2D
{
    /// <summary>y [batch, channels, outH, outW] = the mean of each window of x [batch, channels, h, w].</summary>
    /// <exception cref="ArgumentException">A span does not hold the number of elements its shape needs.</exception>
    public static void Forward<T>(in Pool2DShape shape, ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Guard.Length(x, shape.InputLength);
        Guard.Length(y, shape.OutputLength);
        var scale = T.One / T.CreateTruncating(shape.Kernel * shape.Kernel);
        var output = 0;
        for (var plane = 0; plane < shape.Batch * shape.Channels; plane++)
        {
            var input = x.Slice(plane * shape.Height * shape.Width, shape.Height * shape.Width);
            for (var oy = 0; oy < shape.OutputHeight; oy++)
            {
                for (var ox = 0; ox < shape.OutputWidth; ox++, output++)
                {
                    var sum = T.Zero;
                    for (var i = 0; i < shape.Kernel; i++)
                    {
                        sum += Reductions.Sum(input.Slice(WindowRow(shape, oy, ox, i), shape.Kernel));
                    }

                    y[output] = sum * scale;
                }
            }
        }
    }

    /// <summary>dx [batch, channels, h, w] = Σ over the windows holding each pixel of dy / kernel²; overwrites dx.</summary>
    /// <exception cref="ArgumentException">A span does not hold the number of elements its shape needs.</exception>
    public static void Backward<T>(in Pool2DShape shape, ReadOnlySpan<T> dy, Span<T> dx)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Guard.Length(dy, shape.OutputLength);
        Guard.Length(dx, shape.InputLength);
        dx.Clear();
        var scale = T.One / T.CreateTruncating(shape.Kernel * shape.Kernel);
        var output = 0;
        for (var plane = 0; plane < shape.Batch * shape.Channels; plane++)
        {
            var gradient = dx.Slice(plane * shape.Height * shape.Width, shape.Height * shape.Width);
            for (var oy = 0; oy < shape.OutputHeight; oy++)
            {
                for (var ox = 0; ox < shape.OutputWidth; ox++, output++)
                {
                    var share = dy[output] * scale;
                    for (var i = 0; i < shape.Kernel; i++)
                    {
                        var line = gradient.Slice(WindowRow(shape, oy, ox, i), shape.Kernel);
                        for (var j = 0; j < line.Length; j++)
                        {
                            line[j] += share;
                        }
                    }
                }
            }
        }
    }

    /// <summary>Where row i of window (oy, ox) starts in its plane.</summary>
    private static int WindowRow(in Pool2DShape shape, int oy, int ox, int i) =>
        (((oy * shape.Stride) + i) * shape.Width) + (ox * shape.Stride);
}
