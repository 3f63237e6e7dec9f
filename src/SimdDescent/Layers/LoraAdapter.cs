using System.Numerics;
using SimdDescent.Kernels;
using SimdDescent.Randomness;

namespace SimdDescent.Layers;

/// <summary>
/// A low-rank adapter (LoRA) beside a dense layer's frozen weight W [inputs, units]: y += s·(x·Aᵀ)·Bᵀ with
/// s = α/r, A [rank, inputs] stored as PEFT stores <c>lora_A.weight</c> and B kept transposed, Bᵀ [rank, units]
/// (PEFT's <c>lora_B.weight</c> is [units, rank]: files transpose it, as they do every linear weight). In our
/// layout the adapter adds ΔW = s·Aᵀ·Bᵀ to W. The saved hidden activations are kept transposed too, Hᵀ [rank,
/// batch], so that every product has a wide side as its output rows — never an output only rank columns wide,
/// which would leave most of a vector register idle. The adapter costs O(batch·rank·(inputs + units)), far below
/// the base layer. Dropout on the adapter input is the caller's <see cref="Dropout"/> pass: it hands the dropped
/// input in as x and the mask to <see cref="Backward{T}"/>.
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
    /// <exception cref="ArgumentException">A is not [rank, inputs] or Bᵀ is not [rank, units].</exception>
    public static void Initialize<T>(Span<T> a, Span<T> bTransposed, int inputs, int units, int rank, ref SplitMix64 random)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Guard.Matrix((ReadOnlySpan<T>)a, rank, inputs);
        Guard.Matrix((ReadOnlySpan<T>)bTransposed, rank, units);
        Initialization.KaimingUniformLinear(a, inputs, ref random);
        bTransposed.Clear();
    }

    /// <summary>
    /// hiddenᵀ [rank, batch] = A [rank, inputs]·x [batch, inputs]ᵀ (kept for the backward pass), then
    /// y [batch, units] += scale·hidden·Bᵀ with Bᵀ [rank, units].
    /// </summary>
    /// <exception cref="ArgumentException">A span does not hold its shape's elements, or a size is not positive.</exception>
    public static void Forward<T>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> a, ReadOnlySpan<T> bTransposed, Span<T> hiddenTransposed, Span<T> y,
        int batch, int inputs, int units, int rank, T scale)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CheckShapes(x, a, bTransposed, hiddenTransposed, batch, inputs, units, rank);
        Guard.Matrix((ReadOnlySpan<T>)y, batch, units);
        // Hᵀ [rank, batch] = A [rank, inputs] · xᵀ [inputs, batch]
        Gemm.Multiply(Transpose.No, Transpose.Yes, rank, batch, inputs, T.One, a, inputs, x, inputs, T.Zero, hiddenTransposed, batch);
        // y [batch, units] += scale · H [batch, rank] · Bᵀ [rank, units]
        Gemm.Multiply(Transpose.Yes, Transpose.No, batch, units, rank, scale, hiddenTransposed, batch, bTransposed, units, T.One, y, units);
    }

    /// <summary>
    /// The adapter's part of a backward pass from dZ = <paramref name="dy"/> [batch, units] (the layer's
    /// pre-activation gradient): overwrites d(Bᵀ) [rank, units] = scale·Hᵀ·dZ, dHᵀ [rank, batch] = scale·Bᵀ·dZᵀ
    /// and dA [rank, inputs] = dHᵀ·x, and adds dH·A to <paramref name="dx"/> [batch, inputs] (already holding the
    /// base layer's dZ·Wᵀ) unless it is empty. With dropout on the adapter input, x is the dropped input,
    /// <paramref name="dropoutMask"/> the forward's mask and <paramref name="inputScratch"/> [batch, inputs] holds
    /// dH·A before the mask is applied; both are empty without dropout.
    /// </summary>
    /// <exception cref="ArgumentException">A span does not hold its shape's elements, or a size is not positive.</exception>
    public static void Backward<T>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> a, ReadOnlySpan<T> bTransposed, ReadOnlySpan<T> hiddenTransposed, ReadOnlySpan<T> dy,
        Span<T> aGradient, Span<T> bTransposedGradient, Span<T> hiddenTransposedGradient, Span<T> dx,
        ReadOnlySpan<T> dropoutMask, Span<T> inputScratch,
        int batch, int inputs, int units, int rank, T scale)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        CheckShapes(x, a, bTransposed, hiddenTransposed, batch, inputs, units, rank);
        Guard.Matrix(dy, batch, units);
        Guard.Matrix((ReadOnlySpan<T>)aGradient, rank, inputs);
        Guard.Matrix((ReadOnlySpan<T>)bTransposedGradient, rank, units);
        Guard.Matrix((ReadOnlySpan<T>)hiddenTransposedGradient, rank, batch);
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

        // d(Bᵀ) [rank, units] = scale · Hᵀ [rank, batch] · dZ [batch, units]
        Gemm.Multiply(Transpose.No, Transpose.No, rank, units, batch, scale, hiddenTransposed, batch, dy, units, T.Zero, bTransposedGradient, units);
        // dHᵀ [rank, batch] = scale · Bᵀ [rank, units] · dZᵀ [units, batch]
        Gemm.Multiply(Transpose.No, Transpose.Yes, rank, batch, units, scale, bTransposed, units, dy, units, T.Zero, hiddenTransposedGradient, batch);
        // dA [rank, inputs] = dHᵀ [rank, batch] · x [batch, inputs]
        Gemm.Multiply(Transpose.No, Transpose.No, rank, inputs, batch, T.One, hiddenTransposedGradient, batch, x, inputs, T.Zero, aGradient, inputs);
        if (dx.IsEmpty)
        {
            return;
        }

        if (hasDropout)
        {
            // dx += mask ⊙ (dH·A): the dropout sits on the adapter's branch only.
            Gemm.Multiply(Transpose.Yes, Transpose.No, batch, inputs, rank, T.One, hiddenTransposedGradient, batch, a, inputs, T.Zero, inputScratch, inputs);
            Blas.MultiplyAdd(inputScratch, dropoutMask, dx, dx);
        }
        else
        {
            // dx [batch, inputs] += dH [batch, rank] · A [rank, inputs]
            Gemm.Multiply(Transpose.Yes, Transpose.No, batch, inputs, rank, T.One, hiddenTransposedGradient, batch, a, inputs, T.One, dx, inputs);
        }
    }

    /// <summary>
    /// Folds the adapter into the base weight, W [inputs, units] += scale·Aᵀ·Bᵀ, so a prediction costs what the
    /// base layer costs; <see cref="Unmerge{T}"/> subtracts the same product (to rounding).
    /// </summary>
    /// <exception cref="ArgumentException">A span does not hold its shape's elements, or a size is not positive.</exception>
    public static void Merge<T>(Span<T> weight, ReadOnlySpan<T> a, ReadOnlySpan<T> bTransposed, int inputs, int units, int rank, T scale)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        AddProduct(weight, a, bTransposed, inputs, units, rank, scale);

    /// <summary>Undoes <see cref="Merge{T}"/>: W [inputs, units] −= scale·Aᵀ·Bᵀ.</summary>
    /// <exception cref="ArgumentException">A span does not hold its shape's elements, or a size is not positive.</exception>
    public static void Unmerge<T>(Span<T> weight, ReadOnlySpan<T> a, ReadOnlySpan<T> bTransposed, int inputs, int units, int rank, T scale)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        AddProduct(weight, a, bTransposed, inputs, units, rank, -scale);

    private static void AddProduct<T>(Span<T> weight, ReadOnlySpan<T> a, ReadOnlySpan<T> bTransposed, int inputs, int units, int rank, T scale)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Guard.Positive(rank);
        Guard.Matrix((ReadOnlySpan<T>)weight, inputs, units);
        Guard.Matrix(a, rank, inputs);
        Guard.Matrix(bTransposed, rank, units);
        // W [inputs, units] += scale · Aᵀ [inputs, rank] · Bᵀ [rank, units]
        Gemm.Multiply(Transpose.Yes, Transpose.No, inputs, units, rank, scale, a, inputs, bTransposed, units, T.One, weight, units);
    }

    private static void CheckShapes<T>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> a, ReadOnlySpan<T> bTransposed, ReadOnlySpan<T> hiddenTransposed, int batch, int inputs, int units, int rank)
    {
        Guard.Positive(rank);
        Guard.Matrix(x, batch, inputs);
        Guard.Matrix(a, rank, inputs);
        Guard.Matrix(bTransposed, rank, units);
        Guard.Matrix(hiddenTransposed, rank, batch);
    }
}
