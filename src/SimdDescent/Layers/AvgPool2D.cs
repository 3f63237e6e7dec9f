using System.Numerics;
using SimdDescent.Kernels;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Layers;

/// <summary>
/// Average pooling over NCHW tensors (see <see cref="Pool2DShape"/>): each output is the mean of its kernel × kernel
/// window, summed over the window's rows by registers, then along the summed row.
/// </summary>
public static class AvgPool2D
{
    /// <summary>y [batch, channels, outH, outW] = the mean of each window of x [batch, channels, h, w].</summary>
    /// <exception cref="ArgumentException">A span does not hold the number of elements its shape needs.</exception>
    public static void Forward<T>(in Pool2DShape shape, ReadOnlySpan<T> x, Span<T> y)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Guard.Length(x, shape.InputLength);
        Guard.Length(y, shape.OutputLength);
        var mean = new ScaleOperator<T>(T.One / T.CreateTruncating(shape.Kernel * shape.Kernel));
        int planeSize = shape.Height * shape.Width, pooledSize = shape.OutputHeight * shape.OutputWidth;
        for (var plane = 0; plane < shape.Batch * shape.Channels; plane++)
        {
            WindowRows.Forward(
                x.Slice(plane * planeSize, planeSize), y.Slice(plane * pooledSize, pooledSize), shape.Height, shape.Width, shape.Kernel, shape.Stride,
                default(AddOperator<T>), mean);
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
        var share = new ScaleOperator<T>(T.One / T.CreateTruncating(shape.Kernel * shape.Kernel));
        int planeSize = shape.Height * shape.Width, pooledSize = shape.OutputHeight * shape.OutputWidth;
        for (var plane = 0; plane < shape.Batch * shape.Channels; plane++)
        {
            WindowRows.Spread(
                dy.Slice(plane * pooledSize, pooledSize), dx.Slice(plane * planeSize, planeSize), shape.Height, shape.Width, shape.Kernel, shape.Stride, share);
        }
    }
}
