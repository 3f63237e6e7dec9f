using System.Numerics;
using SimdDescent.Kernels;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Layers;

/// <summary>
/// 2-D convolution over NCHW tensors as one GEMM per image (see <see cref="Conv2DShape"/>), laid out so that
/// nothing is transposed. Forward: im2col writes the image's patches as <c>columns</c> [patch, positions], each
/// row (one input channel and kernel offset) a shifted copy of input rows with zeros at the borders; then
/// y [out, positions] = activation(W [out, patch] · columns + bias), which is the image's NCHW output, with the
/// activation fused in the GEMM epilogue. Backward, image by image: the patches are gathered again from x (a
/// one-image workspace stays in cache, where a whole batch of patches would not), db += row sums of dZ,
/// dW += dZ · columnsᵀ (NT), dColumns = Wᵀ · dZ (TN) over the same workspace and col2im adds them back into dX.
/// Every image runs the same products whatever the batch, so an image's output is bitwise the same in any batch.
/// </summary>
public static class Conv2D
{
    /// <summary>
    /// y [batch, out, outH, outW] = activation(conv(x [batch, in, h, w], weight [out, in, kh, kw]) + bias [out]);
    /// bias empty for none. <paramref name="columns"/> is a workspace of <see cref="Conv2DShape.ColumnsLength"/> elements.
    /// </summary>
    /// <exception cref="ArgumentException">A span does not hold the number of elements its shape needs.</exception>
    public static void Forward<T, TActivation>(
        in Conv2DShape shape, ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> y, Span<T> columns, TActivation activation)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TActivation : struct, IUnaryOperator<T>
    {
        Guard.Length(x, shape.InputLength);
        Guard.Length(weight, shape.WeightLength);
        Guard.Length(y, shape.OutputLength);
        Guard.Length(columns, shape.ColumnsLength);
        if (!bias.IsEmpty)
        {
            Guard.Length(bias, shape.OutputChannels);
        }

        int outputs = shape.OutputChannels, patch = shape.PatchLength, positions = shape.OutputHeight * shape.OutputWidth;
        int image = shape.InputChannels * shape.Height * shape.Width, output = outputs * positions;
        for (var b = 0; b < shape.Batch; b++)
        {
            var imageOutput = y.Slice(b * output, output);
            Conv2DPatches.Gather(shape, x.Slice(b * image, image), columns);
            if (bias.IsEmpty)
            {
                Gemm.MultiplyBiasActivation(Transpose.No, Transpose.No, outputs, positions, patch, weight, patch, columns, positions, [], imageOutput, positions, activation);
                continue;
            }

            // The GEMM's bias runs along columns; a filter's bias is a row here, added with the activation in one pass over the row.
            Gemm.Multiply(Transpose.No, Transpose.No, outputs, positions, patch, T.One, weight, patch, columns, positions, T.Zero, imageOutput, positions);
            for (var o = 0; o < outputs; o++)
            {
                var row = imageOutput.Slice(o * positions, positions);
                Blas.Map(new ShiftActivationOperator<T, TActivation>(bias[o], activation), row, row);
            }
        }
    }

    /// <summary>
    /// Backward through a fused activation: dZ = dY ⊙ f'(saved) is written over <paramref name="dy"/> (saved is
    /// the layer's output for ReLU, LeakyReLU, sigmoid and tanh), then as <see cref="Backward{T}"/>.
    /// </summary>
    public static void Backward<T, TDerivative>(
        in Conv2DShape shape, ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> saved, Span<T> dy, Span<T> columns,
        Span<T> weightGradient, Span<T> biasGradient, Span<T> dx, TDerivative derivative)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TDerivative : struct, IBinaryOperator<T>
    {
        Guard.Length(saved, shape.OutputLength);
        Guard.Length(dy, shape.OutputLength);
        Blas.Map(derivative, dy, saved, dy);
        Backward(shape, x, weight, dy, columns, weightGradient, biasGradient, dx);
    }

    /// <summary>
    /// Overwrites <paramref name="weightGradient"/> [out, in, kh, kw], <paramref name="biasGradient"/> [out] (empty: no
    /// bias) and <paramref name="dx"/> (empty: not needed) from the forward's input x and dZ [batch, out, outH, outW];
    /// <paramref name="columns"/> is the workspace as for the forward.
    /// </summary>
    /// <exception cref="ArgumentException">A span does not hold the number of elements its shape needs.</exception>
    public static void Backward<T>(
        in Conv2DShape shape, ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> dz, Span<T> columns,
        Span<T> weightGradient, Span<T> biasGradient, Span<T> dx)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Guard.Length(x, shape.InputLength);
        Guard.Length(weight, shape.WeightLength);
        Guard.Length(dz, shape.OutputLength);
        Guard.Length(columns, shape.ColumnsLength);
        Guard.Length(weightGradient, shape.WeightLength);
        if (!biasGradient.IsEmpty)
        {
            Guard.Length(biasGradient, shape.OutputChannels);
            biasGradient.Clear();
        }

        if (!dx.IsEmpty)
        {
            Guard.Length(dx, shape.InputLength);
        }

        int outputs = shape.OutputChannels, patch = shape.PatchLength, positions = shape.OutputHeight * shape.OutputWidth;
        int image = shape.InputChannels * shape.Height * shape.Width, output = outputs * positions;
        for (var b = 0; b < shape.Batch; b++)
        {
            var imageGradient = dz.Slice(b * output, output);
            Conv2DPatches.Gather(shape, x.Slice(b * image, image), columns);
            for (var o = 0; o < biasGradient.Length; o++)
            {
                biasGradient[o] += Reductions.Sum(imageGradient.Slice(o * positions, positions));
            }

            // dW [out, patch] (+)= dZ [out, positions] · columnsᵀ [positions, patch], images summed in order.
            Gemm.Multiply(Transpose.No, Transpose.Yes, outputs, patch, positions, T.One, imageGradient, positions, columns, positions,
                b == 0 ? T.Zero : T.One, weightGradient, patch);
            if (!dx.IsEmpty)
            {
                // dColumns [patch, positions] = Wᵀ [patch, out] · dZ [out, positions], over the patches dW no longer needs.
                Gemm.Multiply(Transpose.Yes, Transpose.No, patch, positions, outputs, T.One, weight, patch, imageGradient, positions, T.Zero, columns, positions);
                Conv2DPatches.Scatter(shape, columns, dx.Slice(b * image, image));
            }
        }
    }
}
