using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using SimdDescent.Kernels;
using SimdDescent.Kernels.Drivers;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Layers;

/// <summary>
/// Max pooling over NCHW tensors (see <see cref="Pool2DShape"/>). The forward folds each band of window rows
/// by registers, then takes the maxima along the folded row. The backward routes each output gradient to its
/// window's arg-max, found again from the input instead of being stored; ties go to the first position in
/// row-major window order.
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
        int planeSize = shape.Height * shape.Width, pooledSize = shape.OutputHeight * shape.OutputWidth;
        for (var plane = 0; plane < shape.Batch * shape.Channels; plane++)
        {
            WindowRows.Forward(
                x.Slice(plane * planeSize, planeSize), y.Slice(plane * pooledSize, pooledSize), shape.Height, shape.Width, shape.Kernel, shape.Stride,
                default(FirstMaximumOperator<T>), default(IdentityOperator<T>));
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
        var lanes = SimdDispatch.Current != VectorPath.Scalar;
        switch (shape.Kernel, lanes)
        {
            case (2, true):
                Route<T, Width128<T>, Vector128<T>, SideTwo>(shape, x, dy, dx);
                break;
            case (_, true):
                Route<T, Width128<T>, Vector128<T>, AnySide>(shape, x, dy, dx);
                break;
            case (2, false):
                Route<T, ScalarWidth<T>, T, SideTwo>(shape, x, dy, dx);
                break;
            default:
                Route<T, ScalarWidth<T>, T, AnySide>(shape, x, dy, dx);
                break;
        }
    }

    /// <summary>Plane by plane, each cleared just before its gradients are added, so the additions hit lines in L1.</summary>
    private static void Route<T, TLane, TLaneVector, TSide>(in Pool2DShape shape, ReadOnlySpan<T> x, ReadOnlySpan<T> dy, Span<T> dx)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TLane : struct, ISimdWidth<T, TLaneVector>
        where TLaneVector : struct
        where TSide : struct, IWindowSide
    {
        int width = shape.Width, kernel = shape.Kernel, stride = shape.Stride, outputWidth = shape.OutputWidth;
        var planeSize = shape.Height * width;
        ref var upstream = ref MemoryMarshal.GetReference(dy);
        for (var plane = 0; plane < shape.Batch * shape.Channels; plane++)
        {
            var planeGradient = dx.Slice(plane * planeSize, planeSize);
            planeGradient.Clear();
            ref var input = ref MemoryMarshal.GetReference(x.Slice(plane * planeSize, planeSize));
            ref var gradient = ref MemoryMarshal.GetReference(planeGradient);
            for (var oy = 0; oy < shape.OutputHeight; oy++)
            {
                for (var ox = 0; ox < outputWidth; ox++)
                {
                    var corner = (oy * stride * width) + (ox * stride);
                    Unsafe.Add(ref gradient, corner + ArgMax<T, TLane, TLaneVector>(ref Unsafe.Add(ref input, corner), width, TSide.Of(kernel))) += upstream;
                    upstream = ref Unsafe.Add(ref upstream, 1);
                }
            }
        }
    }

    /// <summary>
    /// The offset from the window's corner of its first largest element in row-major order, without branches on the
    /// data (see <see cref="WindowRows.Lane"/>): the index moves through a mask, the maximum by a blend.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ArgMax<T, TLane, TLaneVector>(ref T corner, int width, int kernel)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TLane : struct, ISimdWidth<T, TLaneVector>
        where TLaneVector : struct
    {
        var best = 0;
        var max = corner;
        for (var i = 0; i < kernel; i++)
        {
            for (var j = 0; j < kernel; j++)
            {
                var offset = (i * width) + j;
                var value = Unsafe.Add(ref corner, offset);
                var greater = value > max;
                best ^= (best ^ offset) & -Unsafe.As<bool, byte>(ref greater);
                max = WindowRows.Lane<T, FirstMaximumOperator<T>, TLane, TLaneVector>(default, max, value);
            }
        }

        return best;
    }
}
