using System.Numerics;
using SimdDescent.Kernels;

namespace SimdDescent.Layers;

/// <summary>
/// Inverted dropout. The mask is a pure function of (seed, workspace stream, step, element), so runs are
/// reproducible and workspaces on different threads draw different masks without sharing state.
/// </summary>
public static class Dropout
{
    /// <summary>
    /// Training: y = x ⊙ mask with mask ∈ {0, 1/(1 − p)} (kept in <paramref name="mask"/> for the backward pass);
    /// inference: y = x.
    /// </summary>
    public static void Forward<T>(ReadOnlySpan<T> x, Span<T> y, Span<T> mask, T probability, ulong seed, ulong stream, ulong step, bool training)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (!(probability >= T.Zero && probability < T.One))
        {
            throw new ArgumentOutOfRangeException(nameof(probability), probability, "Expected a drop probability in [0, 1).");
        }

        if (!training)
        {
            x.CopyTo(y);
            return;
        }

        var keep = T.One / (T.One - probability);
        var p = double.CreateTruncating(probability);
        var key = SplitMix64.Hash(SplitMix64.Hash(seed, stream), step);
        var length = x.Length;
        var m = mask[..length];
        for (var i = 0; i < length; i++)
        {
            m[i] = SplitMix64.ToUnit(SplitMix64.Hash(key, (ulong)i)) < p ? T.Zero : keep;
        }

        Blas.Multiply(x, m, y[..length]);
    }

    /// <summary>dx = dy ⊙ mask when the forward pass was training, else dx = dy.</summary>
    public static void Backward<T>(ReadOnlySpan<T> dy, ReadOnlySpan<T> mask, Span<T> dx, bool training)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        if (training)
        {
            Blas.Multiply(dy, mask[..dy.Length], dx[..dy.Length]);
        }
        else
        {
            dy.CopyTo(dx);
        }
    }
}
