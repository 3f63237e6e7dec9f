using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using SimdDescent.Kernels;
using SimdDescent.Kernels.Drivers;
using SimdDescent.Kernels.Operators;
using SimdDescent.Kernels.Parallel;

namespace SimdDescent.Layers;

/// <summary>
/// Layer normalization over each row: y = (x − μ)·r·weight + bias with r = 1/√(σ² + ε), σ² the biased
/// row variance (as PyTorch). The forward pass keeps μ and r per row; the backward pass recomputes x̂.
/// Rows (and, for the parameter gradients, columns) are split over <see cref="Gemm.MaxThreads"/> threads
/// by <see cref="ParallelRanges"/>; every sum stays inside one row or one column, in the same order, so
/// the results are bitwise the same for any thread count.
/// </summary>
public static class LayerNorm
{
    // A row costs about as much as this many multiply-adds per element (five short passes over it).
    private const long WorkPerElement = 16;

    /// <summary>y [rows, width] from x [rows, width]; writes <paramref name="mean"/> and <paramref name="inverseStd"/> [rows].</summary>
    public static unsafe void Forward<T>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> weight, ReadOnlySpan<T> bias, Span<T> y,
        Span<T> mean, Span<T> inverseStd, int rows, int width, T epsilon)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        x = x[..(rows * width)];
        y = y[..(rows * width)];
        weight = weight[..width];
        bias = bias[..width];
        mean = mean[..rows];
        inverseStd = inverseStd[..rows];
        fixed (T* px = x, pw = weight, pb = bias, py = y, pm = mean, pr = inverseStd)
        {
            var tensors = new Tensors<T>(px, null, pw, pb, py, pm, pr, rows, width);
            ParallelRanges.Run(new ForwardRows<T>(tensors, epsilon), rows, WorkPerElement * width);
        }
    }

    /// <summary>
    /// Overwrites <paramref name="weightGradient"/> = Σ_rows dy ⊙ x̂, <paramref name="biasGradient"/> = Σ_rows dy and
    /// <paramref name="dx"/> = r·(g − mean(g) − x̂·mean(g ⊙ x̂)) with g = dy ⊙ weight. <paramref name="scratch"/> holds one row.
    /// </summary>
    public static unsafe void Backward<T>(
        ReadOnlySpan<T> x, ReadOnlySpan<T> dy, ReadOnlySpan<T> weight, ReadOnlySpan<T> mean, ReadOnlySpan<T> inverseStd,
        Span<T> weightGradient, Span<T> biasGradient, Span<T> dx, Span<T> scratch, int rows, int width)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        x = x[..(rows * width)];
        dy = dy[..(rows * width)];
        dx = dx[..(rows * width)];
        weight = weight[..width];
        mean = mean[..rows];
        inverseStd = inverseStd[..rows];
        weightGradient = weightGradient[..width];
        biasGradient = biasGradient[..width];
        scratch = scratch[..width];
        fixed (T* px = x, pdy = dy, pw = weight, pm = mean, pr = inverseStd, pdw = weightGradient, pdb = biasGradient, pdx = dx, ps = scratch)
        {
            var tensors = new Tensors<T>(px, pdy, pw, null, pdx, pm, pr, rows, width);

            // x̂ goes into dx first: the parameter gradients sum it down each column (in row order), then each
            // row's input gradient overwrites it.
            ParallelRanges.Run(new ParameterGradientColumns<T>(tensors, pdw, pdb), width, 3L * WorkPerElement * rows, ParallelRanges.VectorUnit);
            ParallelRanges.Run(new InputGradientRows<T>(tensors, ps), rows, WorkPerElement * width);
        }
    }

    /// <summary>The pinned tensors of one pass: x, dy (backward), weight, bias (forward), the output (y or dx), μ and r.</summary>
    private readonly unsafe struct Tensors<T>(T* x, T* dy, T* weight, T* bias, T* output, T* mean, T* inverseStd, int rows, int width)
        where T : unmanaged
    {
        public T* X => x;

        public T* Dy => dy;

        public T* Weight => weight;

        public T* Bias => bias;

        public T* Output => output;

        public T* Mean => mean;

        public T* InverseStd => inverseStd;

        public int Rows => rows;

        public int Width => width;

        public Span<T> Row(T* matrix, int r) => new(matrix + ((nint)r * Width), Width);

        public Span<T> Columns(T* matrix, int r, int first, int end) => new(matrix + ((nint)r * Width) + first, end - first);
    }

    private readonly unsafe struct ForwardRows<T>(Tensors<T> t, T epsilon) : IRangeWork
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        public void Run(int first, int end, int part)
        {
            var n = T.CreateTruncating(t.Width);
            var weight = new ReadOnlySpan<T>(t.Weight, t.Width);
            var bias = new ReadOnlySpan<T>(t.Bias, t.Width);
            for (var r = first; r < end; r++)
            {
                ReadOnlySpan<T> row = t.Row(t.X, r);
                var output = t.Row(t.Output, r);
                var mu = Reductions.Sum(row) / n;

                // Two passes (center, then sum squares) rather than E[x²] − μ², which cancels catastrophically.
                Blas.Map(new AffineOperator<T>(mu, T.One), row, output);
                var rstd = T.One / T.Sqrt((Reductions.SumOfSquares<T>(output) / n) + epsilon);
                Blas.Scale(rstd, output);
                Blas.MultiplyAdd(output, weight, bias, output);
                t.Mean[r] = mu;
                t.InverseStd[r] = rstd;
            }
        }
    }

    /// <summary>
    /// Columns [first, end): x̂ into dx, dγ = Σ_rows dy ⊙ x̂ and dβ = Σ_rows dy, row by row in one pass: per element
    /// the operations of the row-wise kernels (x̂ = (x − μ)·r, dγ = fma(dy, x̂, dγ) from zero, dβ = dy₀ then dy + dβ).
    /// </summary>
    private readonly unsafe struct ParameterGradientColumns<T>(Tensors<T> t, T* weightGradient, T* biasGradient) : IRangeWork
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        public void Run(int first, int end, int part)
        {
            switch (SimdDispatch.CurrentFor<T>(end - first))
            {
                case VectorPath.Vector512:
                    Columns<Width512<T>, Vector512<T>>(first, end);
                    break;
                case VectorPath.Vector256:
                    Columns<Width256<T>, Vector256<T>>(first, end);
                    break;
                case VectorPath.Vector128:
                    Columns<Width128<T>, Vector128<T>>(first, end);
                    break;
                default:
                    Columns<ScalarWidth<T>, T>(first, end);
                    break;
            }
        }

        private void Columns<TWidth, TVector>(int first, int end)
            where TWidth : struct, ISimdWidth<T, TVector>
            where TVector : struct
        {
            // Whole registers, then the last few columns (only ever in the matrix's last range) one by one.
            var vectorEnd = first + ((end - first) / TWidth.Count * TWidth.Count);
            new Span<T>(weightGradient + first, end - first).Clear();
            for (var r = 0; r < t.Rows; r++)
            {
                var row = (nint)r * t.Width;
                var j = first;
                for (; j < vectorEnd; j += TWidth.Count)
                {
                    Step<TWidth, TVector>(r, row + j, j);
                }

                for (; j < end; j++)
                {
                    Step<ScalarWidth<T>, T>(r, row + j, j);
                }
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private void Step<TWidth, TVector>(int r, nint element, int column)
            where TWidth : struct, ISimdWidth<T, TVector>
            where TVector : struct
        {
            var xHat = TWidth.Multiply(
                TWidth.Subtract(TWidth.Load(ref t.X[element], 0), TWidth.Broadcast(t.Mean[r])), TWidth.Broadcast(t.InverseStd[r]));
            TWidth.Store(xHat, ref t.Output[element], 0);
            var dy = TWidth.Load(ref t.Dy[element], 0);
            TWidth.Store(TWidth.MultiplyAdd(dy, xHat, TWidth.Load(ref weightGradient[column], 0)), ref weightGradient[column], 0);
            TWidth.Store(r == 0 ? dy : TWidth.Add(dy, TWidth.Load(ref biasGradient[column], 0)), ref biasGradient[column], 0);
        }
    }

    /// <summary>Rows [first, end): dx = r·((g − x̂·mean(g x̂)) − mean(g)), with x̂ read from dx's row.</summary>
    private readonly unsafe struct InputGradientRows<T>(Tensors<T> t, T* scratch) : IRangeWork
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        public void Run(int first, int end, int part)
        {
            var n = T.CreateTruncating(t.Width);
            var weight = new ReadOnlySpan<T>(t.Weight, t.Width);
            var g = part == 0 ? new Span<T>(scratch, t.Width) : ThreadScratch<T>.Get(t.Width);
            for (var r = first; r < end; r++)
            {
                var dxRow = t.Row(t.Output, r);
                Blas.Multiply(t.Row(t.Dy, r), weight, g);
                var meanG = Reductions.Sum<T>(g) / n;
                var meanGXhat = Blas.Dot<T>(g, dxRow) / n;
                Blas.Scale(-meanGXhat, dxRow);
                Blas.Add(dxRow, g, dxRow);
                Blas.Map(new AffineOperator<T>(meanG, t.InverseStd[r]), dxRow, dxRow);
            }
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
