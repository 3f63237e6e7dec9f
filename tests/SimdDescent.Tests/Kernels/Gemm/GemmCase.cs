using System.Numerics;
using SimdDescent.Kernels;

namespace SimdDescent.Tests.Kernels.Gemm;

/// <summary>
/// One GEMM problem laid out as the tests need it: operands stored with padded leading dimensions,
/// NaN in every padding element and after the last one (so any read outside op(A) or op(B) shows up
/// as NaN in C), C embedded in a larger buffer filled with a sentinel outside the m × n sub-matrix.
/// </summary>
internal sealed class GemmCase<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public static readonly T Sentinel = T.CreateChecked(12345.5);

    private const int Trailing = 64;

    public GemmCase(Random random, Transpose transposeA, Transpose transposeB, int m, int n, int k, int padding)
    {
        (TransposeA, TransposeB, M, N, K) = (transposeA, transposeB, m, n, k);
        var (aRows, aColumns) = transposeA == Transpose.No ? (m, k) : (k, m);
        var (bRows, bColumns) = transposeB == Transpose.No ? (k, n) : (n, k);
        Lda = Math.Max(1, aColumns) + random.Next(padding + 1);
        Ldb = Math.Max(1, bColumns) + random.Next(padding + 1);
        Ldc = Math.Max(1, n) + random.Next(padding + 1);
        A = Stored(random, aRows, aColumns, Lda);
        B = Stored(random, bRows, bColumns, Ldb);
        ARequired = Required(aRows, aColumns, Lda);
        BRequired = Required(bRows, bColumns, Ldb);
        CRequired = Required(m, n, Ldc);
        C = new T[CRequired + Trailing];
        C.AsSpan().Fill(Sentinel);
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                C[(i * Ldc) + j] = Value(random);
            }
        }

        Original = (T[])C.Clone();
    }

    public Transpose TransposeA { get; }

    public Transpose TransposeB { get; }

    public int M { get; }

    public int N { get; }

    public int K { get; }

    public int Lda { get; }

    public int Ldb { get; }

    public int Ldc { get; }

    public T[] A { get; }

    public T[] B { get; }

    public T[] C { get; }

    /// <summary>C as it was before the call.</summary>
    public T[] Original { get; }

    public int ARequired { get; }

    public int BRequired { get; }

    public int CRequired { get; }

    /// <summary>The spans handed to GEMM: exactly as long as the shapes require.</summary>
    public ReadOnlySpan<T> ASpan => A.AsSpan(0, ARequired);

    public ReadOnlySpan<T> BSpan => B.AsSpan(0, BRequired);

    public Span<T> CSpan => C.AsSpan(0, CRequired);

    public double OpA(int i, int p) => double.CreateChecked(TransposeA == Transpose.No ? A[(i * Lda) + p] : A[(p * Lda) + i]);

    public double OpB(int p, int j) => double.CreateChecked(TransposeB == Transpose.No ? B[(p * Ldb) + j] : B[(j * Ldb) + p]);

    public void Call(T alpha, T beta) =>
        SimdDescent.Kernels.Gemm.Multiply(TransposeA, TransposeB, M, N, K, alpha, ASpan, Lda, BSpan, Ldb, beta, CSpan, Ldc);

    /// <summary>Σₚ op(A)ᵢₚ·op(B)ₚⱼ and Σₚ |op(A)ᵢₚ·op(B)ₚⱼ| in double, the naive reference.</summary>
    public (double Sum, double Magnitude) Reference(int i, int j)
    {
        double sum = 0, magnitude = 0;
        for (var p = 0; p < K; p++)
        {
            var product = OpA(i, p) * OpB(p, j);
            sum += product;
            magnitude += Math.Abs(product);
        }

        return (sum, magnitude);
    }

    /// <summary>Asserts that every element of C outside the m × n sub-matrix still holds the sentinel.</summary>
    public void AssertOutsideUntouched()
    {
        for (var index = 0; index < C.Length; index++)
        {
            var (i, j) = (index / Ldc, index % Ldc);
            if (i >= M || j >= N)
            {
                Assert.True(C[index] == Sentinel, $"C[{index}] (row {i}, column {j}) outside the {M} × {N} sub-matrix was overwritten with {C[index]}.");
            }
        }
    }

    private static int Required(int rows, int columns, int ld) => rows == 0 || columns == 0 ? 0 : ((rows - 1) * ld) + columns;

    private static T[] Stored(Random random, int rows, int columns, int ld)
    {
        var data = new T[Required(rows, columns, ld) + Trailing];
        data.AsSpan().Fill(T.NaN);
        for (var r = 0; r < rows; r++)
        {
            for (var col = 0; col < columns; col++)
            {
                data[(r * ld) + col] = Value(random);
            }
        }

        return data;
    }

    private static T Value(Random random) => T.CreateChecked((random.NextDouble() * 2) - 1);
}
