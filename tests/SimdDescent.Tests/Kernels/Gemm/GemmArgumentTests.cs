using SimdDescent.Kernels;

namespace SimdDescent.Tests.Kernels.Gemm;

public sealed class GemmArgumentTests
{
    private static readonly float[] s_data = new float[64];

    [Theory]
    [InlineData(-1, 2, 2, "m")]
    [InlineData(2, -3, 2, "n")]
    [InlineData(2, 2, -1, "k")]
    public void Negative_sizes_throw(int m, int n, int k, string name)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() =>
            SimdDescent.Kernels.Gemm.Multiply(Transpose.No, Transpose.No, m, n, k, 1f, s_data, 4, s_data, 4, 0f, s_data, 4));
        Assert.Equal(name, e.ParamName);
    }

    [Theory]
    // NN, 3×4·4×5: A needs lda ≥ 4 and 2·lda + 4 elements, B ldb ≥ 5 and 3·ldb + 5, C ldc ≥ 5 and 2·ldc + 5.
    [InlineData(Transpose.No, Transpose.No, 3, 12, 4, 20, 5, 15, "lda", "4")]
    [InlineData(Transpose.No, Transpose.No, 4, 11, 5, 20, 5, 15, "a", "12")]
    [InlineData(Transpose.No, Transpose.No, 4, 12, 5, 19, 5, 15, "b", "20")]
    [InlineData(Transpose.No, Transpose.No, 4, 12, 4, 20, 5, 15, "ldb", "5")]
    [InlineData(Transpose.No, Transpose.No, 4, 12, 5, 20, 6, 16, "c", "17")]
    [InlineData(Transpose.No, Transpose.No, 4, 12, 5, 20, 4, 15, "ldc", "5")]
    // TN: A is stored 4×3 (lda ≥ 3, 3·lda + 3 elements); NT: B is stored 5×4 (ldb ≥ 4, 4·ldb + 4).
    [InlineData(Transpose.Yes, Transpose.No, 3, 11, 5, 20, 5, 15, "a", "12")]
    [InlineData(Transpose.No, Transpose.Yes, 4, 12, 4, 19, 5, 15, "b", "20")]
    [InlineData(Transpose.No, Transpose.Yes, 4, 12, 3, 20, 5, 15, "ldb", "4")]
    public void Operands_that_do_not_fit_their_shape_throw_naming_the_expected_size(
        Transpose transposeA, Transpose transposeB, int lda, int aLength, int ldb, int bLength, int ldc, int cLength, string name, string expected)
    {
        var a = new float[aLength];
        var b = new float[bLength];
        var c = new float[cLength];
        var e = Assert.ThrowsAny<ArgumentException>(() =>
            SimdDescent.Kernels.Gemm.Multiply(transposeA, transposeB, 3, 5, 4, 1f, a, lda, b, ldb, 0f, c, ldc));
        Assert.Equal(name, e.ParamName);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Undefined_transpose_values_and_thread_counts_throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            SimdDescent.Kernels.Gemm.Multiply((Transpose)2, Transpose.No, 1, 1, 1, 1f, s_data, 1, s_data, 1, 0f, s_data, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => SimdDescent.Kernels.Gemm.MaxThreads = 0);
    }

    [Fact]
    public void Unsupported_element_types_throw() =>
        Assert.Throws<NotSupportedException>(() =>
            SimdDescent.Kernels.Gemm.Multiply(Transpose.No, Transpose.No, 1, 1, 1, (Half)1, new Half[1], 1, new Half[1], 1, (Half)0, new Half[1], 1));
}
