using System.Numerics;
using System.Runtime.Intrinsics;
using SimdDescent.Kernels;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Layers;

/// <summary>
/// Layer normalization over each row: y = (x − μ)·r·weight + bias with r = 1/√(σ² + ε), σ² the biased
/// row variance (as PyTorch). The forward pass keeps μ and r per row; the backward pass recomputes x̂.
/// </summary>
public static class LayerNorm
{
    /// <summary>y [rows, width] from x [rows, width]; writes <paramref name="mean"/> and <paramref name="inverseStd"/> [rows].</summary>
    public static void Forward<T>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> y,
        Span<T> mean, Span<T> inverseStd, int rows, int width, T epsilon)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var n = T.CreateTruncating(width);
        for (var r = 0; r < rows; r++)
        {
            var row = x.Slice(r * width, width);
            var output = y.Slice(r * width, width);
            var mu = Reductions.Sum(row) / n;

            // Two passes (center, then sum squares) rather than E[x²] − μ², which cancels catastrophically.
            Blas.Map(new AffineOperator<T>(mu, T.One), row, output);
            var rstd = T.One / T.Sqrt((Reductions.SumOfSquares(output) / n) + epsilon);
            Blas.Scale(rstd, output);
            Blas.MultiplyAdd(output, weight, bias, output);
            mean[r] = mu;
            inverseStd[r] = rstd;
        }
    }

    /// <summary>
    /// Overwrites <paramref name="weightGradient"/> = Σ_rows dy ⊙ x̂, <paramref name="biasGradient"/> = Σ_rows dy and
    /// <paramref name="dx"/> = r·(g − mean(g) − x̂·mean(g ⊙ x̂)) with g = dy ⊙ weight. <paramref name="scratch"/> holds one row.
    /// </summary>
    public static void Backward<T>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> dy, ReadOnlySpan<T> weight, ReadOnlySpan<T> mean, ReadOnlySpan<T> inverseStd,
        Span<T> weightGradient, Span<T> biasGradient, Span<T> dx, Span<T> scratch, int rows, int width)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var n = T.CreateTruncating(width);
        var g = scratch[..width];
        weightGradient[..width].Clear();
        Reductions.ColumnSums(dy[..(rows * width)], biasGradient, rows, width);
        for (var r = 0; r < rows; r++)
        {
            var dyRow = dy.Slice(r * width, width);
            var dxRow = dx.Slice(r * width, width);
            var rstd = inverseStd[r];

            // x̂ goes into dx's row first; it is overwritten by the input gradient below.
            Blas.Map(new AffineOperator<T>(mean[r], rstd), x.Slice(r * width, width), dxRow);
            Blas.MultiplyAdd(dyRow, dxRow, weightGradient, weightGradient);
            Blas.Multiply(dyRow, weight, g);
            var meanG = Reductions.Sum<T>(g) / n;
            var meanGXhat = Blas.Dot<T>(g, dxRow) / n;

            // dx = r·((g − x̂·mean(g x̂)) − mean(g))
            Blas.Scale(-meanGXhat, dxRow);
            Blas.Add(dxRow, g, dxRow);
            Blas.Map(new AffineOperator<T>(meanG, rstd), dxRow, dxRow);
        }
    }

    /// <summary>(x − shift)·scale: centring and normalizing a row in one pass.</summary>
    private readonly struct AffineOperator<T>(T shift, T scale) : IUnaryOperator<T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        public TVector Invoke<TWidth, TVector>(TVector x)
            where TWidth : struct, ISimdWidth<T, TVector>
            where TVector : struct
            => TWidth.Multiply(TWidth.Subtract(x, TWidth.Broadcast(shift)), TWidth.Broadcast(scale));
    }
}
