using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using SimdDescent.Kernels.Drivers;
using SimdDescent.Kernels.Functions;
using SimdDescent.Kernels.Operators;
using SimdDescent.Kernels.Parallel;

namespace SimdDescent.Kernels;

/// <summary>
/// Reductions over spans: several independent accumulators, merged in an order fixed by the length and
/// the vector width alone, so a result is reproducible whatever the input's address.
/// </summary>
public static class Reductions
{
    /// <summary>Σ x; 0 for an empty span.</summary>
    public static T Sum<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Scalar<T>.ThrowIfUnsupported();
        return ReductionDriver.Reduce(new SumOperator<T>(), x);
    }

    /// <summary>Σ x²; 0 for an empty span.</summary>
    public static T SumOfSquares<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Scalar<T>.ThrowIfUnsupported();
        return ReductionDriver.Reduce(new SumOfSquaresOperator<T>(), x);
    }

    /// <summary>
    /// The Euclidean norm √(Σ x²), without overflow or underflow: when the fast sum of squares
    /// overflows or loses digits to underflow, the sum is recomputed on x scaled by a power of two near 1 / max|x|.
    /// </summary>
    public static T Norm2<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var sum = SumOfSquares(x);
        if (T.IsNaN(sum) || (T.IsFinite(sum) && sum >= C<T>.SquareSumLowerLimit))
        {
            return T.Sqrt(sum);
        }

        var scale = MaxMagnitude(x);
        if (!T.IsFinite(scale) || scale == T.Zero)
        {
            return scale;
        }

        // Rescale by a power of two near 1 / max|x|: exact, and unlike 1 / max|x| it cannot overflow
        // when max|x| is subnormal.
        var limit = C<T>.MaxExponent;
        var factor = T.ScaleB(T.One, System.Math.Clamp(-T.ILogB(scale), -limit, limit));
        var scaled = ReductionDriver.Reduce(new ScaledSumOfSquaresOperator<T>(factor), x);
        return T.Sqrt(scaled) / factor;
    }

    /// <summary>
    /// √<paramref name="sumOfSquares"/>, for a sum of the squares of <paramref name="x"/> that the caller
    /// added up in pieces (e.g. per chunk, on several threads), when that sum is finite and large enough to
    /// have lost no digits to underflow; otherwise <see cref="Norm2{T}"/> of <paramref name="x"/>, which rescales.
    /// </summary>
    public static double Norm2FromSumOfSquares<T>(double sumOfSquares, ReadOnlySpan<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        => double.IsFinite(sumOfSquares) && sumOfSquares >= double.CreateTruncating(C<T>.SquareSumLowerLimit)
            ? Math.Sqrt(sumOfSquares)
            : double.CreateTruncating(Norm2(x));

    /// <summary>The largest magnitude max |x|; 0 for an empty span, NaN if any element is NaN.</summary>
    public static T MaxMagnitude<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Scalar<T>.ThrowIfUnsupported();
        return ReductionDriver.Reduce(new MaxMagnitudeOperator<T>(), x);
    }

    /// <summary>The largest element; NaN if any element is NaN.</summary>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty.</exception>
    public static T Max<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Scalar<T>.ThrowIfUnsupported();
        Guard.NotEmpty(x);
        return ReductionDriver.Reduce(new MaxOperator<T>(), x);
    }

    /// <summary>The index of the first largest element, or of the first NaN if there is one.</summary>
    /// <exception cref="ArgumentException"><paramref name="x"/> is empty.</exception>
    public static int ArgMax<T>(ReadOnlySpan<T> x)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        // Two vectorized passes (max, then the first match) beat one pass that tracks indices lane by
        // lane. Max is NaN exactly when some element is, and then the first NaN is the answer.
        return SearchDriver.FirstIndexOfValueOrNaN(x, Max(x));
    }

    /// <summary>destination[r] = ArgMax of row r of the rows × width matrix x.</summary>
    public static void ArgMaxRows<T>(ReadOnlySpan<T> x, Span<int> destination, int rows, int width)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Guard.Matrix(x, rows, width);
        Guard.Destination(rows, destination);
        for (var r = 0; r < rows; r++)
        {
            destination[r] = ArgMax(x.Slice(r * width, width));
        }
    }

    /// <summary>destination[j] = Σ_r x[r, j] over the rows × width matrix x (the bias gradient of a dense layer); overwrites destination.</summary>
    public static unsafe void ColumnSums<T>(ReadOnlySpan<T> x, Span<T> destination, int rows, int width)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Scalar<T>.ThrowIfUnsupported();
        Guard.Matrix(x, rows, width);
        Guard.Destination(width, destination);
        var sums = destination[..width];
        if (x.Overlaps(sums))
        {
            throw new ArgumentException("The destination must not share memory with the matrix.", nameof(destination));
        }

        if (rows == 0)
        {
            sums.Clear();
            return;
        }

        fixed (T* matrix = x, destinationColumns = sums)
        {
            ParallelRanges.Run(new SumColumns<T>(matrix, destinationColumns, rows, width), width, (long)rows * ParallelRanges.ElementwiseWork, ParallelRanges.VectorUnit);
        }
    }

    /// <summary>Columns [first, end) of <see cref="ColumnSums{T}"/>: the first row, then each next row added in order.</summary>
    private readonly unsafe struct SumColumns<T>(T* x, T* sums, int rows, int width) : IRangeWork
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        public void Run(int first, int end, int part)
        {
            var columns = new Span<T>(sums + first, end - first);
            new ReadOnlySpan<T>(x + first, end - first).CopyTo(columns);
            for (var r = 1; r < rows; r++)
            {
                ElementwiseDriver.Map(new AddOperator<T>(), new ReadOnlySpan<T>(x + ((nint)r * width) + first, end - first), columns, columns);
            }
        }
    }
}
