using System.Numerics;
using SimdDescent.Kernels;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Tests.Kernels.Gemm;

public sealed class GemmBiasActivationTests
{
    public static TheoryData<VectorPath> Widths => GemmMultiplyTests.Widths;

    [Theory]
    [MemberData(nameof(Widths))]
    public void Fused_equals_multiply_then_bias_then_Relu_bit_for_bit_within_one_K_block(VectorPath path)
    {
        var random = new Random(31);
        using var scope = SimdDispatch.Force(path);
        foreach (var packed in (bool?[])[null, true])
        {
            foreach (var (m, n, k, variant) in ((int, int, int, int)[])[(1, 10, 30, 0), (1, 128, 256, 1), (13, 37, 64, 2), (64, 10, 128, 3), (7, 70, 5, 0), (9, 37, 1, 1), (3, 5, 1, 0)])
            {
                var (transposeA, transposeB) = ((Transpose)(variant & 1), (Transpose)(variant >> 1));
                var fused = new GemmCase<float>(random, transposeA, transposeB, m, n, k, padding: 2);
                var bias = Values(random, n);
                var unfused = (float[])fused.C.Clone();
                using (GemmMultiplyTests.Packing(packed))
                {
                    SimdDescent.Kernels.Gemm.MultiplyBiasActivation(
                        transposeA, transposeB, m, n, k, fused.ASpan, fused.Lda, fused.BSpan, fused.Ldb, bias, fused.CSpan, fused.Ldc, new ReluOperator<float>());
                    SimdDescent.Kernels.Gemm.Multiply(
                        transposeA, transposeB, m, n, k, 1f, fused.ASpan, fused.Lda, fused.BSpan, fused.Ldb, 0f, unfused.AsSpan(0, fused.CRequired), fused.Ldc);
                }

                for (var i = 0; i < m; i++)
                {
                    var row = unfused.AsSpan(i * fused.Ldc, n);
                    Blas.Add(row, bias, row);
                    Activations.Relu(row, row);
                }

                Assert.Equal(unfused, fused.C);
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Fused_matches_the_reference_across_K_blocks_with_and_without_bias(VectorPath path)
    {
        var random = new Random(37);
        using var scope = SimdDispatch.Force(path);
        foreach (var packed in (bool?[])[null, true])
        {
            foreach (var (m, n, k, hasBias) in ((int, int, int, bool)[])[(1, 21, 600, true), (9, 40, 513, true), (20, 7, 300, false)])
            {
                var g = new GemmCase<double>(random, Transpose.No, Transpose.No, m, n, k, padding: 1);
                var bias = hasBias ? Values(random, n).Select(x => (double)x).ToArray() : [];
                using (GemmMultiplyTests.Packing(packed))
                {
                    SimdDescent.Kernels.Gemm.MultiplyBiasActivation(
                        Transpose.No, Transpose.No, m, n, k, g.ASpan, g.Lda, g.BSpan, g.Ldb, bias, g.CSpan, g.Ldc, new LeakyReluOperator<double>(0.5));
                }

                var tolerance = GemmAssert.Tolerance<double>(k);
                for (var i = 0; i < m; i++)
                {
                    for (var j = 0; j < n; j++)
                    {
                        var (sum, magnitude) = g.Reference(i, j);
                        var z = sum + (hasBias ? bias[j] : 0);
                        var expected = z > 0 ? z : 0.5 * z;
                        GemmAssert.Close(expected, g.C[(i * g.Ldc) + j], magnitude + Math.Abs(z), tolerance, $"{path} {m}×{n}×{k} C[{i},{j}]");
                    }
                }

                g.AssertOutsideUntouched();
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Backward_epilogue_gates_the_gradient_and_sums_the_bias_gradient(VectorPath path)
    {
        var random = new Random(41);
        using var scope = SimdDispatch.Force(path);
        foreach (var (rows, width) in ((int, int)[])[(1, 1), (3, 7), (64, 128), (5, 70), (17, 33)])
        {
            var upstream = Values(random, rows * width);
            var saved = Values(random, rows * width);
            var gradient = new float[rows * width];
            var biasGradient = Values(random, width);
            SimdDescent.Kernels.Gemm.BiasActivationBackward<float, ReluBackwardOperator<float>>(
                upstream, saved, gradient, biasGradient, rows, width, default);
            for (var j = 0; j < width; j++)
            {
                double sum = 0, magnitude = 0;
                for (var i = 0; i < rows; i++)
                {
                    var index = (i * width) + j;
                    var expected = saved[index] > 0 ? upstream[index] : 0f;
                    Assert.Equal(expected, gradient[index]);
                    sum += expected;
                    magnitude += Math.Abs(expected);
                }

                GemmAssert.Close(sum, biasGradient[j], magnitude, GemmAssert.Tolerance<float>(rows), $"{path} db[{j}]");
            }

            // In place, and without a bias gradient.
            var inPlace = (float[])upstream.Clone();
            SimdDescent.Kernels.Gemm.BiasActivationBackward<float, ReluBackwardOperator<float>>(inPlace, saved, inPlace, [], rows, width, default);
            Assert.Equal(gradient, inPlace);
        }
    }

    [Fact]
    public void Bad_bias_lengths_throw()
    {
        var a = new float[6];
        var c = new float[6];
        var e = Assert.Throws<ArgumentException>(() => SimdDescent.Kernels.Gemm.MultiplyBiasActivation(
            Transpose.No, Transpose.No, 2, 3, 2, a, 2, a, 3, new float[2], c, 3, new ClampOperator<float>(0, 1)));
        Assert.Contains("n = 3", e.Message, StringComparison.Ordinal);
        var g = Assert.Throws<ArgumentException>(() => SimdDescent.Kernels.Gemm.BiasActivationBackward<float, ReluBackwardOperator<float>>(
            a, a, c, new float[2], 2, 3, default));
        Assert.Contains("width = 3", g.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => SimdDescent.Kernels.Gemm.BiasActivationBackward<float, ReluBackwardOperator<float>>(
            a, a.AsSpan(0, 5), c, [], 2, 3, default));
    }

    private static float[] Values(Random random, int count)
    {
        var values = new float[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = (float)((random.NextDouble() * 2) - 1);
        }

        return values;
    }
}
