using System.Numerics;
using SimdDescent.Kernels;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Layers;

/// <summary>
/// 2-D convolution over NCHW tensors as one GEMM over the whole batch (see <see cref="Conv2DShape"/>).
/// Forward: im2col writes one patch per output position into <c>columns</c> [positions, patch], then
/// scratch [positions, out] = activation(columns · Wᵀ + bias) with the bias and activation fused in the
/// GEMM epilogue exactly as for <see cref="Dense"/>, and the position-major scratch is transposed into the
/// NCHW output. Backward: dZ is transposed to position-major, db = column sums, dW = dZᵀ · columns (TN),
/// dColumns = dZ · W (NN) over the columns buffer and col2im adds the patches back into dX.
/// </summary>
public static class Conv2D
{
    /// <summary>
    /// y [batch, out, outH, outW] = activation(conv(x [batch, in, h, w], weight [out, in, kh, kw]) + bias [out]);
    /// bias empty for none. Leaves the patches in <paramref name="columns"/> for <see cref="Backward{T}"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A span does not hold the number of elements its shape needs.</exception>
    public static void Forward<T, TActivation>(
        in Conv2DShape shape, ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> y,
        Span<T> columns, Span<T> scratch, TActivation activation)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TActivation : struct, IUnaryOperator<T>
    {
        Guard.Length(x, shape.InputLength);
        Guard.Length(weight, shape.WeightLength);
        Guard.Length(y, shape.OutputLength);
        Guard.Length(columns, shape.ColumnsLength);
        Guard.Length(scratch, shape.ScratchLength);
        if (!bias.IsEmpty)
        {
            Guard.Length(bias, shape.OutputChannels);
        }

        Patches(shape, x, columns, []);
        Gemm.MultiplyBiasActivation(Transpose.No, Transpose.Yes, shape.Positions, shape.OutputChannels, shape.PatchLength,
            columns, shape.PatchLength, weight, shape.PatchLength, bias, scratch, shape.OutputChannels, activation);
        TransposeEach<T>(scratch, y, shape.Batch, shape.OutputHeight * shape.OutputWidth, shape.OutputChannels);
    }

    /// <summary>
    /// Backward through a fused activation: dZ = dY ⊙ f'(saved) is written over <paramref name="dy"/> (saved is
    /// the layer's output for ReLU, LeakyReLU, sigmoid and tanh), then as <see cref="Backward{T}"/>.
    /// </summary>
    public static void Backward<T, TDerivative>(
        in Conv2DShape shape, ReadOnlySpan<T> weight, ReadOnlySpan<T> saved, Span<T> dy, Span<T> columns, Span<T> scratch,
        Span<T> weightGradient, Span<T> biasGradient, Span<T> dx, TDerivative derivative)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TDerivative : struct, IBinaryOperator<T>
    {
        Guard.Length(saved, shape.OutputLength);
        Guard.Length(dy, shape.OutputLength);
        Blas.Map(derivative, dy, saved, dy);
        Backward(shape, weight, dy, columns, scratch, weightGradient, biasGradient, dx);
    }

    /// <summary>
    /// Overwrites <paramref name="weightGradient"/> [out, in, kh, kw], <paramref name="biasGradient"/> [out] (empty: no
    /// bias) and <paramref name="dx"/> (empty: not needed) from dZ [batch, out, outH, outW]. <paramref name="columns"/>
    /// must hold the forward's patches; it is overwritten with their gradients.
    /// </summary>
    /// <exception cref="ArgumentException">A span does not hold the number of elements its shape needs.</exception>
    public static void Backward<T>(
        in Conv2DShape shape, ReadOnlySpan<T> weight, ReadOnlySpan<T> dz, Span<T> columns, Span<T> scratch,
        Span<T> weightGradient, Span<T> biasGradient, Span<T> dx)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Guard.Length(weight, shape.WeightLength);
        Guard.Length(dz, shape.OutputLength);
        Guard.Length(columns, shape.ColumnsLength);
        Guard.Length(scratch, shape.ScratchLength);
        Guard.Length(weightGradient, shape.WeightLength);
        if (!dx.IsEmpty)
        {
            Guard.Length(dx, shape.InputLength);
        }

        int positions = shape.Positions, outputs = shape.OutputChannels, patch = shape.PatchLength;
        TransposeEach(dz, scratch, shape.Batch, shape.OutputChannels, shape.OutputHeight * shape.OutputWidth);
        if (!biasGradient.IsEmpty)
        {
            Reductions.ColumnSums(scratch, biasGradient, positions, outputs);
        }

        // dW [out, patch] = dZᵀ [out, positions] · columns [positions, patch]
        Gemm.Multiply(Transpose.Yes, Transpose.No, outputs, patch, positions, T.One, scratch, outputs, columns, patch, T.Zero, weightGradient, patch);
        if (!dx.IsEmpty)
        {
            // dColumns [positions, patch] = dZ [positions, out] · W [out, patch], over the patches dW no longer needs.
            Gemm.Multiply(Transpose.No, Transpose.No, positions, patch, outputs, T.One, scratch, outputs, weight, patch, T.Zero, columns, patch);
            Patches(shape, [], columns, dx);
        }
    }

    /// <summary>
    /// Walks every kernel row of every patch. With <paramref name="dx"/> empty it gathers (im2col):
    /// columns[(b, oy, ox), (c, i, j)] = x[b, c, oy·s − p + i, ox·s − p + j], zero outside the input. Otherwise it
    /// scatters (col2im): each pixel of dx, cleared first, receives the sum of the patch entries that read it.
    /// </summary>
    private static void Patches<T>(in Conv2DShape shape, ReadOnlySpan<T> x, Span<T> columns, Span<T> dx)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var gather = dx.IsEmpty;
        if (!gather)
        {
            dx.Clear();
        }

        var imageLength = shape.InputChannels * shape.Height * shape.Width;
        var row = 0;
        for (var b = 0; b < shape.Batch; b++)
        {
            for (var oy = 0; oy < shape.OutputHeight; oy++)
            {
                for (var ox = 0; ox < shape.OutputWidth; ox++, row++)
                {
                    var patch = columns.Slice(row * shape.PatchLength, shape.PatchLength);
                    var x0 = (ox * shape.Stride) - shape.Padding;
                    int first = Math.Max(0, -x0), last = Math.Min(shape.KernelWidth, shape.Width - x0);
                    for (var c = 0; c < shape.InputChannels; c++)
                    {
                        for (var i = 0; i < shape.KernelHeight; i++)
                        {
                            var line = patch.Slice(((c * shape.KernelHeight) + i) * shape.KernelWidth, shape.KernelWidth);
                            var iy = (oy * shape.Stride) - shape.Padding + i;
                            var inside = (uint)iy < (uint)shape.Height && first < last;
                            var pixel = (b * imageLength) + (((c * shape.Height) + iy) * shape.Width) + x0 + first;
                            // Kernel rows are a few elements long: plain loops beat calls into the vector kernels here.
                            if (gather)
                            {
                                for (var j = 0; j < line.Length; j++)
                                {
                                    line[j] = inside && j >= first && j < last ? x[pixel + j - first] : T.Zero;
                                }
                            }
                            else if (inside)
                            {
                                for (var j = first; j < last; j++)
                                {
                                    dx[pixel + j - first] += line[j];
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>
    /// destination[b, c, r] = source[b, r, c] for each of <paramref name="count"/> rows × columns matrices: the
    /// position-major GEMM layout to NCHW and back.
    /// </summary>
    private static void TransposeEach<T>(ReadOnlySpan<T> source, Span<T> destination, int count, int rows, int columns)
    {
        var size = rows * columns;
        for (var b = 0; b < count; b++)
        {
            var from = source.Slice(b * size, size);
            var to = destination.Slice(b * size, size);
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < columns; c++)
                {
                    to[(c * rows) + r] = from[(r * columns) + c];
                }
            }
        }
    }
}
