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
        Gemm.Multiply(Transpose.No, Transpose.Yes, rows, vocabulary, channels, T.One, x, channels, table, channels, T.Zero, logits, vocabulary);

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
            Gemm.Multiply(Transpose.Yes, Transpose.No, vocabulary, channels, rows, T.One, dLogits, vocabulary, x, channels, T.Zero, tableGradient, channels);
        }

        Gemm.Multiply(Transpose.No, Transpose.No, rows, channels, vocabulary, T.One, dLogits, vocabulary, table, channels, T.Zero, dx, channels);
    }
}
