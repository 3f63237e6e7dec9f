using System.Numerics;
using SimdDescent.Kernels;

namespace SimdDescent.Layers;

/// <summary>
/// Max pooling over NCHW tensors (see <see cref="Pool2DShape"/>). The backward pass routes each output
/// gradient to its window's arg-max, found again from the input and the output instead of being stored;
/// ties go to the first position in row-major window order, as the forward's strict comparison picks it.
/// </summary>
public static class MaxPool2D
{
    /// <summary>y [batch, channels, outH, outW] = the maximum of each window of x [batch, channels, h, w].</summary>
    /// <exception cref="ArgumentException">A span does not hold the number of elements its shape needs.</exception>
    public static void Forward<T>(in Pool2DShape shape, ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Guard.Length(x, shape.InputLength);
        Guard.Length(y, shape.OutputLength);
        var output = 0;
        for (var plane = 0; plane < shape.Batch * shape.Channels; plane++)
        {
            var input = x.Slice(plane * shape.Height * shape.Width, shape.Height * shape.Width);
            for (var oy = 0; oy < shape.OutputHeight; oy++)
            {
                for (var ox = 0; ox < shape.OutputWidth; ox++, output++)
                {
                    y[output] = input[ArgMax(shape, input, oy, ox)];
                }
            }
        }
    }

    /// <summary>dx [batch, channels, h, w] = dy [batch, channels, outH, outW] added at each window's arg-max, zero elsewhere; overwrites dx.</summary>
    /// <exception cref="ArgumentException">A span does not hold the number of elements its shape needs.</exception>
    public static void Backward<T>(in Pool2DShape shape, ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dx)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Guard.Length(x, shape.InputLength);
        Guard.Length(dy, shape.OutputLength);
        Guard.Length(dx, shape.InputLength);
        dx.Clear();
        var output = 0;
        for (var plane = 0; plane < shape.Batch * shape.Channels; plane++)
        {
            var input = x.Slice(plane * shape.Height * shape.Width, shape.Height * shape.Width);
            var gradient = dx.Slice(plane * shape.Height * shape.Width, shape.Height * shape.Width);
            for (var oy = 0; oy < shape.OutputHeight; oy++)
            {
                for (var ox = 0; ox < shape.OutputWidth; ox++, output++)
                {
                    gradient[ArgMax(shape, input, oy, ox)] += dy[output];
                }
            }
        }
    }

    /// <summary>The index in the plane of the first largest element of window (oy, ox).</summary>
    private static int ArgMax<T>(in Pool2DShape shape, ReadOnlySpan<T> plane, int oy, int ox)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var best = (oy * shape.Stride * shape.Width) + (ox * shape.Stride);
        for (var i = 0; i < shape.Kernel; i++)
        {
            var start = (((oy * shape.Stride) + i) * shape.Width) + (ox * shape.Stride);
            for (var j = 0; j < shape.Kernel; j++)
            {
                if (plane[start + j] > plane[best])
                {
                    best = start + j;
                }
            }
        }

        return best;
    }
}
