using System.Numerics;
using SimdDescent.Kernels;
using SimdDescent.Randomness;

namespace SimdDescent.Layers;

/// <summary>
/// A low-rank adapter (LoRA) beside a dense layer's frozen weight W [inputs, units]: y += s·(x·Aᵀ)·Bᵀ with
/// s = α/r, A [rank, inputs] and B [units, rank] stored exactly as PEFT stores <c>lora_A.weight</c> and
/// <c>lora_B.weight</c> (so in our layout the adapter adds ΔW = s·Aᵀ·Bᵀ to W). Every product is an NT, NN or
/// TN GEMM with a rank-wide side: the adapter costs O(batch·rank·(inputs + units)), far below the base layer.
/// Dropout on the adapter input is the caller's <see cref="Dropout"/> pass: it hands the dropped input in as
/// x and the mask to <see cref="Backward{T}"/>.
/// </summary>
public static class LoraAdapter
{
    /// <summary>The scale s = α/r that multiplies the adapter's output (PEFT's <c>scaling</c> without rsLoRA).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The rank is not positive or α is not finite.</exception>
    public static T Scale<T>(double alpha, int rank)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rank);
        if (!double.IsFinite(alpha))
        {
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "Expected a finite α.");
        }

        return T.CreateTruncating(alpha / rank);
    }

    /// <summary>PEFT's default start: A Kaiming-uniform (U(±1/√inputs)), B zero, so the adapter adds nothing until trained.</summary>
    /// <exception cref="ArgumentException">A is not [rank, inputs] or B is not [units, rank].</exception>
    public static void Initialize<T>(Span<T> a, Span<T> b, int inputs, int units, int rank, ref SplitMix64 random)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Guard.Matrix((ReadOnlySpan<T>)a, rank, inputs);
        Guard.Matrix((ReadOnlySpan<T>)b, units, rank);
        Initialization.KaimingUniformLinear(a, inputs, ref random);
        b.Clear();
    }

    /// <summary>
    /// hidden [batch, rank] = x [batch, inputs]·A [rank, inputs]ᵀ (kept for the backward pass), then
    /// y [batch, units] += scale·hidden·B [units, rank]ᵀ.
    /// </summary>
    /// <exception cref="ArgumentException">A span does not hold its shape's elements, or a size is not positive.</exception>
    public static void Forward<T>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> a, ReadOnlySpan<T> b, Span<T> hidden, Span<T> y,
        int batch, int inputs, int units, int rank, T scale)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CheckShapes(x, a, b, hidden, batch, inputs, units, rank);
        Guard.Matrix((ReadOnlySpan<T>)y, batch, units);
        Gemm.Multiply(Transpose.No, Transpose.Yes, batch, rank, inputs, T.One, x, inputs, a, inputs, T.Zero, hidden, rank);
        Gemm.Multiply(Transpose.No, Transpose.Yes, batch, units, rank, scale, hidden, rank, b, rank, T.One, y, units);
    }

    /// <summary>
    /// The adapter's part of a backward pass from dZ = <paramref name="dy"/> [batch, units] (the layer's
    /// pre-activation gradient): overwrites dB [units, rank] = scale·dZᵀ·hidden, dHidden [batch, rank] = scale·dZ·B
    /// and dA [rank, inputs] = dHiddenᵀ·x, and adds dHidden·A to <paramref name="dx"/> [batch, inputs] (already
    /// holding the base layer's dZ·Wᵀ) unless it is empty. With dropout on the adapter input, x is the dropped
    /// input, <paramref name="dropoutMask"/> the forward's mask and <paramref name="inputScratch"/> [batch, inputs]
    /// holds dHidden·A before the mask is applied; both are empty without dropout.
    /// </summary>
    /// <exception cref="ArgumentException">A span does not hold its shape's elements, or a size is not positive.</exception>
    public static void Backward<T>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> hidden, ReadOnlySpan<T> dy,
        Span<T> aGradient, Span<T> bGradient, Span<T> hiddenGradient, Span<T> dx,
        ReadOnlySpan<T> dropoutMask, Span<T> inputScratch,
        int batch, int inputs, int units, int rank, T scale)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CheckShapes(x, a, b, hidden, batch, inputs, units, rank);
        Guard.Matrix(dy, batch, units);
        Guard.Matrix((ReadOnlySpan<T>)aGradient, rank, inputs);
        Guard.Matrix((ReadOnlySpan<T>)bGradient, units, rank);
        Guard.Matrix((ReadOnlySpan<T>)hiddenGradient, batch, rank);
        var hasDropout = !dropoutMask.IsEmpty;
        if (!dx.IsEmpty)
        {
            Guard.Matrix((ReadOnlySpan<T>)dx, batch, inputs);
        }

        if (hasDropout)
        {
            Guard.Matrix(dropoutMask, batch, inputs);
            Guard.Matrix((ReadOnlySpan<T>)inputScratch, batch, inputs);
        }

        // dB [units, rank] = scale · dZᵀ [units, batch] · hidden [batch, rank]
        Gemm.Multiply(Transpose.Yes, Transpose.No, units, rank, batch, scale, dy, units, hidden, rank, T.Zero, bGradient, rank);
        // dHidden [batch, rank] = scale · dZ [batch, units] · B [units, rank]
        Gemm.Multiply(Transpose.No, Transpose.No, batch, rank, units, scale, dy, units, b, rank, T.Zero, hiddenGradient, rank);
        // dA [rank, inputs] = dHiddenᵀ [rank, batch] · x [batch, inputs]
        Gemm.Multiply(Transpose.Yes, Transpose.No, rank, inputs, batch, T.One, hiddenGradient, rank, x, inputs, T.Zero, aGradient, inputs);
        if (dx.IsEmpty)
        {
            return;
        }

        if (hasDropout)
        {
            // dx += mask ⊙ (dHidden·A): the dropout sits on the adapter's branch only.
            Gemm.Multiply(Transpose.No, Transpose.No, batch, inputs, rank, T.One, hiddenGradient, rank, a, inputs, T.Zero, inputScratch, inputs);
            Blas.MultiplyAdd(inputScratch, dropoutMask, dx, dx);
        }
        else
        {
            // dx [batch, inputs] += dHidden [batch, rank] · A [rank, inputs]
            Gemm.Multiply(Transpose.No, Transpose.No, batch, inputs, rank, T.One, hiddenGradient, rank, a, inputs, T.One, dx, inputs);
        }
    }

    /// <summary>
    /// Folds the adapter into the base weight, W [inputs, units] += scale·Aᵀ·Bᵀ, so a prediction costs what the
    /// base layer costs; <see cref="Unmerge{T}"/> subtracts the same product (to rounding).
    /// </summary>
    /// <exception cref="ArgumentException">A span does not hold its shape's elements, or a size is not positive.</exception>
    public static void Merge<T>(Span<T> weight, ReadOnlySpan<T> a, ReadOnlySpan<T> b, int inputs, int units, int rank, T scale)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        AddProduct(weight, a, b, inputs, units, rank, scale);

    /// <summary>Undoes <see cref="Merge{T}"/>: W [inputs, units] −= scale·Aᵀ·Bᵀ.</summary>
    /// <exception cref="ArgumentException">A span does not hold its shape's elements, or a size is not positive.</exception>
    public static void Unmerge<T>(Span<T> weight, ReadOnlySpan<T> a, ReadOnlySpan<T> b, int inputs, int units, int rank, T scale)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        AddProduct(weight, a, b, inputs, units, rank, -scale);

    private static void AddProduct<T>(Span<T> weight, ReadOnlySpan<T> a, ReadOnlySpan<T> b, int inputs, int units, int rank, T scale)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Guard.Positive(rank);
        Guard.Matrix((ReadOnlySpan<T>)weight, inputs, units);
        Guard.Matrix(a, rank, inputs);
        Guard.Matrix(b, units, rank);
        // W [inputs, units] += scale · Aᵀ [inputs, rank] · Bᵀ [rank, units]
        Gemm.Multiply(Transpose.Yes, Transpose.Yes, inputs, units, rank, scale, a, inputs, b, rank, T.One, weight, units);
    }

    private static void CheckShapes<T>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> a, ReadOnlySpan<T> b, ReadOnlySpan<T> hidden, int batch, int inputs, int units, int rank)
    {
        Guard.Positive(rank);
        Guard.Matrix(x, batch, inputs);
        Guard.Matrix(a, rank, inputs);
        Guard.Matrix(b, units, rank);
        Guard.Matrix(hidden, batch, rank);
    }
}
