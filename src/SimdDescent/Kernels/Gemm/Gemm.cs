using System.Numerics;
using SimdDescent.Kernels.Drivers;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Kernels;

/// <summary>
/// Row-major general matrix multiply, <c>C = alpha·op(A)·op(B) + beta·C</c>, with op(A) of shape
/// m × k and op(B) of shape k × n. Leading dimensions are row strides in elements, so sub-matrices
/// and views work.
/// </summary>
public static class Gemm
{
    /// <summary>C = alpha·op(A)·op(B) + beta·C. With beta = 0, C is not read (NaN in C is ignored).</summary>
    public static void Multiply<T>(
        Transpose transposeA, Transpose transposeB, int m, int n, int k,
        T alpha, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        T beta, Span<T> c, int ldc)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        Scalar<T>.ThrowIfUnsupported();
        Validate(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc);
        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var sum = T.Zero;
                for (var p = 0; p < k; p++)
                {
                    sum += At(a, transposeA, i, p, lda) * At(b, transposeB, p, j, ldb);
                }

                ref var cij = ref c[(i * ldc) + j];
                cij = beta == T.Zero ? alpha * sum : (alpha * sum) + (beta * cij);
            }
        }
    }

    /// <summary>
    /// C = activation(op(A)·op(B) + bias), the fused forward of a dense layer: bias (length n, or empty
    /// for none) is added to every row and the activation applied while the output is written.
    /// </summary>
    public static void MultiplyBiasActivation<T, TActivation>(
        Transpose transposeA, Transpose transposeB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb,
        ReadOnlySpan<T> bias, Span<T> c, int ldc, TActivation activation)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TActivation : struct, IUnaryOperator<T>
    {
        Scalar<T>.ThrowIfUnsupported();
        Validate(transposeA, transposeB, m, n, k, a, lda, b, ldb, c, ldc);
        if (!bias.IsEmpty && bias.Length != n)
        {
            throw new ArgumentException($"Expected bias to be empty or hold n = {n} elements, but it has {bias.Length}.", nameof(bias));
        }

        for (var i = 0; i < m; i++)
        {
            for (var j = 0; j < n; j++)
            {
                var sum = bias.IsEmpty ? T.Zero : bias[j];
                for (var p = 0; p < k; p++)
                {
                    sum += At(a, transposeA, i, p, lda) * At(b, transposeB, p, j, ldb);
                }

                c[(i * ldc) + j] = activation.Invoke(sum);
            }
        }
    }

    private static T At<T>(ReadOnlySpan<T> x, Transpose transpose, int row, int column, int ld) =>
        transpose == Transpose.No ? x[(row * ld) + column] : x[(column * ld) + row];

    private static void Validate<T>(
        Transpose transposeA, Transpose transposeB, int m, int n, int k,
        ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, ReadOnlySpan<T> c, int ldc)
    {
        Guard.NonNegative(m);
        Guard.NonNegative(n);
        Guard.NonNegative(k);
        CheckOperand(a, transposeA == Transpose.No ? m : k, transposeA == Transpose.No ? k : m, lda, nameof(a), nameof(lda));
        CheckOperand(b, transposeB == Transpose.No ? k : n, transposeB == Transpose.No ? n : k, ldb, nameof(b), nameof(ldb));
        CheckOperand(c, m, n, ldc, nameof(c), nameof(ldc));
    }

    /// <summary>A stored rows × columns matrix with row stride ld needs ld ≥ columns and (rows − 1)·ld + columns elements.</summary>
    private static void CheckOperand<T>(ReadOnlySpan<T> x, int rows, int columns, int ld, string name, string ldName)
    {
        if (ld < Math.Max(1, columns))
        {
            throw new ArgumentOutOfRangeException(ldName, ld, $"Expected {ldName} ≥ max(1, {columns}) (the stored row length of {name}).");
        }

        var required = rows == 0 || columns == 0 ? 0 : ((long)(rows - 1) * ld) + columns;
        if (x.Length < required)
        {
            throw new ArgumentException(
                $"Expected {name} ({rows} × {columns}, row stride {ldName} = {ld}) to hold at least {required} elements, but it has {x.Length}.", name);
        }
    }
}
