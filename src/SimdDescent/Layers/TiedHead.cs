using System.Numerics;
using SimdDescent.Kernels;

namespace SimdDescent.Layers;

/// <summary>
/// An output head tied to the token embedding (GPT-2's weight tying): logits [rows, vocabulary] =
/// x [rows, channels] · tableᵀ, with the embedding table [vocabulary, channels] read as the transposed weight.
/// Forward is one NT GEMM; backward is d(table) = dLogitsᵀ·x (TN) and dx = dLogits·table (NN).
/// </summary>
public static class TiedHead
{
    /// <summary>logits [rows, vocabulary] = x [rows, channels] · table [vocabulary, channels]ᵀ.</summary>
    public static void Forward<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> table, Span<T> logits, int rows, int channels, int vocabulary)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Gemm.Multiply(Kernels.Transpose.No, Kernels.Transpose.Yes, rows, vocabulary, channels, T.One, x, channels, table, channels, T.Zero, logits, vocabulary);

    /// <summary>
    /// transposed [channels, vocabulary] = table [vocabulary, channels]ᵀ: the layout <see cref="ForwardTransposed{T}"/> reads,
    /// for a caller that runs many one-row products against the same table (a key/value-cached decoder).
    /// </summary>
    /// <exception cref="ArgumentException">A span does not hold its [vocabulary, channels] or [channels, vocabulary] elements.</exception>
    public static void Transpose<T>(ReadOnlySpan<T> table, Span<T> transposed, int channels, int vocabulary)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Guard.Matrix(table, vocabulary, channels);
        Guard.Matrix(transposed, channels, vocabulary);
        for (var token = 0; token < vocabulary; token++)
        {
            var row = table.Slice(token * channels, channels);
            for (var channel = 0; channel < channels; channel++)
            {
                transposed[(channel * vocabulary) + token] = row[channel];
            }
        }
    }

    /// <summary>
    /// <see cref="Forward{T}"/> from the table as <see cref="Transpose{T}"/> wrote it: one NN GEMM, which for one row runs
    /// the row kernel and reads the table in place instead of packing it, with every logit summed in the same order.
    /// </summary>
    public static void ForwardTransposed<T>(ReadOnlySpan<T> x, ReadOnlySpan<T> transposed, Span<T> logits, int rows, int channels, int vocabulary)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Gemm.Multiply(Kernels.Transpose.No, Kernels.Transpose.No, rows, vocabulary, channels, T.One, x, channels, transposed, vocabulary, T.Zero, logits, vocabulary);

    /// <summary>
    /// Overwrites <paramref name="tableGradient"/> [vocabulary, channels] with dLogitsᵀ·x (unless it is empty: a frozen
    /// table, no GEMM) and <paramref name="dx"/> [rows, channels] with dLogits·table. The token embedding's backward
    /// adds to the table's gradient afterwards.
    /// </summary>
    public static void Backward<T>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> table, ReadOnlySpan<T> dLogits, Span<T> tableGradient, Span<T> dx,
        int rows, int channels, int vocabulary)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (!tableGradient.IsEmpty)
        {
            Gemm.Multiply(Kernels.Transpose.Yes, Kernels.Transpose.No, vocabulary, channels, rows, T.One, dLogits, vocabulary, x, channels, T.Zero, tableGradient, channels);
        }

        Gemm.Multiply(Kernels.Transpose.No, Kernels.Transpose.No, rows, channels, vocabulary, T.One, dLogits, vocabulary, table, channels, T.Zero, dx, channels);
    }
}
