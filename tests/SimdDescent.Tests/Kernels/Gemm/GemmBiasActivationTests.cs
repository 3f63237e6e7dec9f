using System.Numerics;
using System.Runtime.Intrinsics;
using SimdDescent.Kernels;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Tests.Kernels.Gemm;

public sealed class GemmBiasActivationTests
{
    public static TheoryData<VectorPath> Widths => GemmMultiplyTests.Widths;

    [Theory]
    [MemberData(nameof(Widths))]
    public void Fused_equals_multiply_then_bias_then_relu_bit_for_bit_within_one_K_block(VectorPath path)
    {
        var random = new Random(31);
        using var scope = SimdDispatch.Force(path);
        var relu = new ClampOperator<float>(0f, float.PositiveInfinity);
        foreach (var packed in (bool?[])[null, true])
        {
            foreach (var (m, n, k, variant) in ((int, int, int, int)[])[(1, 10, 30, 0), (1, 128, 256, 1), (13, 37, 64, 2), (64, 10, 128, 3), (7, 70, 5, 0)])
            {
                var (transposeA, transposeB) = ((Transpose)(variant & 1), (Transpose)(variant >> 1));
                var fused = new GemmCase<float>(random, transposeA, transposeB, m, n, k, padding: 2);
                var bias = Values(random, n);
                var unfused = (float[])fused.C.Clone();
                using (GemmMultiplyTests.Packing(packed))
                {
                    SimdDescent.Kernels.Gemm.MultiplyBiasActivation(
                        transposeA, transposeB, m, n, k, fused.ASpan, fused.Lda, fused.BSpan, fused.Ldb, bias, fused.CSpan, fused.Ldc, relu);
                    SimdDescent.Kernels.Gemm.Multiply(
                        transposeA, transposeB, m, n, k, 1f, fused.ASpan, fused.Lda, fused.BSpan, fused.Ldb, 0f, unfused.AsSpan(0, fused.CRequired), fused.Ldc);
                }

                for (var i = 0; i < m; i++)
                {
                    var row = unfused.AsSpan(i * fused.Ldc, n);
                    Blas.Add(row, bias, row);
                    Blas.Clamp(row, 0f, float.PositiveInfinity, row);
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
                var squash = new HalfSlopeOperator<double>();
                using (GemmMultiplyTests.Packing(packed))
                {
                    SimdDescent.Kernels.Gemm.MultiplyBiasActivation(
                        Transpose.No, Transpose.No, m, n, k, g.ASpan, g.Lda, g.BSpan, g.Ldb, bias, g.CSpan, g.Ldc, squash);
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
            SimdDescent.Kernels.Gemm.BiasActivationBackward<float, PositiveGateOperator<float>>(
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
            SimdDescent.Kernels.Gemm.BiasActivationBackward<float, PositiveGateOperator<float>>(inPlace, saved, inPlace, [], rows, width, default);
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
        var g = Assert.Throws<ArgumentException>(() => SimdDescent.Kernels.Gemm.BiasActivationBackward<float, PositiveGateOperator<float>>(
            a, a, c, new float[2], 2, 3, default));
        Assert.Contains("width = 3", g.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => SimdDescent.Kernels.Gemm.BiasActivationBackward<float, PositiveGateOperator<float>>(
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

    /// <summary>A leaky ReLU with slope 1/2: exact in binary, so the reference can state it in double.</summary>
    private readonly struct HalfSlopeOperator<T> : IUnaryOperator<T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        private static readonly T s_half = T.CreateChecked(0.5);

        public T Invoke(T x) => x > T.Zero ? x : s_half * x;

        public Vector128<T> Invoke(Vector128<T> x) => Vector128.ConditionalSelect(Vector128.GreaterThan(x, Vector128<T>.Zero), x, x * s_half);

        public Vector256<T> Invoke(Vector256<T> x) => Vector256.ConditionalSelect(Vector256.GreaterThan(x, Vector256<T>.Zero), x, x * s_half);

        public Vector512<T> Invoke(Vector512<T> x) => Vector512.ConditionalSelect(Vector512.GreaterThan(x, Vector512<T>.Zero), x, x * s_half);
    }
}

/// <summary>dY where the saved value is positive, else 0: a ReLU backward stand-in written for these tests.</summary>
internal readonly struct PositiveGateOperator<T> : IBinaryOperator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    public T Invoke(T x, T y) => y > T.Zero ? x : T.Zero;

    public Vector128<T> Invoke(Vector128<T> x, Vector128<T> y) => Vector128.ConditionalSelect(Vector128.GreaterThan(y, Vector128<T>.Zero), x, Vector128<T>.Zero);

    public Vector256<T> Invoke(Vector256<T> x, Vector256<T> y) => Vector256.ConditionalSelect(Vector256.GreaterThan(y, Vector256<T>.Zero), x, Vector256<T>.Zero);

    public Vector512<T> Invoke(Vector512<T> x, Vector512<T> y) => Vector512.ConditionalSelect(Vector512.GreaterThan(y, Vector512<T>.Zero), x, Vector512<T>.Zero);
}
