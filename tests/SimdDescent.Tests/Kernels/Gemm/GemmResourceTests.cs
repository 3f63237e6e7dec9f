using SimdDescent.Kernels;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Tests.Kernels.Gemm;

/// <summary>Thread-count determinism and allocation: both touch process-wide settings, so they do not run beside other tests.</summary>
[CollectionDefinition(nameof(GemmResourceTests), DisableParallelization = true)]
[Collection(nameof(GemmResourceTests))]
public sealed class GemmResourceTests
{
    [Theory]
    [InlineData(301, 200, 280, Transpose.No, Transpose.No)]
    [InlineData(100, 530, 300, Transpose.Yes, Transpose.No)]
    [InlineData(1, 9000, 600, Transpose.No, Transpose.No)]
    [InlineData(200, 301, 290, Transpose.No, Transpose.Yes)]
    public void Results_are_bitwise_identical_for_one_and_two_threads(int m, int n, int k, Transpose transposeA, Transpose transposeB)
    {
        var random = new Random(m + n + k);
        var g = new GemmCase<float>(random, transposeA, transposeB, m, n, k, padding: 3);
        var bias = Enumerable.Range(0, n).Select(j => (float)Math.Sin(j)).ToArray();
        var relu = new ReluOperator<float>();
        float[] Run(int threads, bool fused)
        {
            var c = (float[])g.Original.Clone();
            var previous = SimdDescent.Kernels.Gemm.MaxThreads;
            SimdDescent.Kernels.Gemm.MaxThreads = threads;
            try
            {
                if (fused)
                {
                    SimdDescent.Kernels.Gemm.MultiplyBiasActivation(
                        transposeA, transposeB, m, n, k, g.ASpan, g.Lda, g.BSpan, g.Ldb, bias, c.AsSpan(0, g.CRequired), g.Ldc, relu);
                }
                else
                {
                    SimdDescent.Kernels.Gemm.Multiply(
                        transposeA, transposeB, m, n, k, 0.5f, g.ASpan, g.Lda, g.BSpan, g.Ldb, 2f, c.AsSpan(0, g.CRequired), g.Ldc);
                }
            }
            finally
            {
                SimdDescent.Kernels.Gemm.MaxThreads = previous;
            }

            return c;
        }

        foreach (var fused in (bool[])[false, true])
        {
            var one = Run(1, fused);
            var two = Run(2, fused);
            Assert.True(one.AsSpan().SequenceEqual(two), $"fused={fused}: 1-thread and 2-thread results differ.");
        }

        // The split run is also right, not merely repeatable.
        g.Call(0.5f, 2f);
        GemmAssert.Multiplied(g, 0.5f, 2f, $"{m}×{n}×{k}");
    }

    [Theory]
    [InlineData(1100, 10, 784, Transpose.No, Transpose.No)]
    [InlineData(1100, 10, 784, Transpose.Yes, Transpose.No)]
    [InlineData(40, 4100, 64, Transpose.No, Transpose.Yes)]
    [InlineData(40, 4100, 65, Transpose.No, Transpose.No)]
    public void Rows_of_a_split_product_are_bitwise_the_rows_alone_for_1_to_4_threads(int m, int n, int k, Transpose transposeA, Transpose transposeB)
    {
        var operands = new GemmBatchInvarianceTests.BatchOperands<float>(new Random(m + n + k), transposeA, transposeB, m, n, k);
        var product = new GemmBatchInvarianceTests.BiasActivation<float, TanhOperator<float>>(GemmBatchInvarianceTests.Values<float>(new Random(n), n), default);
        var previous = SimdDescent.Kernels.Gemm.MaxThreads;
        try
        {
            for (var threads = 1; threads <= 4; threads++)
            {
                SimdDescent.Kernels.Gemm.MaxThreads = threads;
                operands.AssertRowsInvariant(product, [m], $"{threads} threads, {transposeA}{transposeB} {m}×{n}×{k}");
            }
        }
        finally
        {
            SimdDescent.Kernels.Gemm.MaxThreads = previous;
        }
    }

    [Fact]
    public void Calls_allocate_nothing_after_warm_up()
    {
        var random = new Random(4);
        var shapes = new[]
        {
            new GemmCase<float>(random, Transpose.No, Transpose.No, 1, 128, 784, padding: 0),
            new GemmCase<float>(random, Transpose.No, Transpose.No, 64, 128, 784, padding: 0),
            new GemmCase<float>(random, Transpose.Yes, Transpose.No, 784, 128, 64, padding: 0),
            new GemmCase<float>(random, Transpose.No, Transpose.Yes, 64, 784, 128, padding: 0),
            new GemmCase<float>(random, Transpose.No, Transpose.No, 64, 10, 128, padding: 1),
            new GemmCase<float>(random, Transpose.No, Transpose.No, 300, 70, 600, padding: 0),
        };
        var bias = new float[784];
        var gradient = new float[64 * 128];
        var biasGradient = new float[128];
        var relu = new ReluOperator<float>();
        void RunAll()
        {
            foreach (var g in shapes)
            {
                g.Call(1f, 0.5f);
                SimdDescent.Kernels.Gemm.MultiplyBiasActivation(
                    g.TransposeA, g.TransposeB, g.M, g.N, g.K, g.ASpan, g.Lda, g.BSpan, g.Ldb, bias.AsSpan(0, g.N), g.CSpan, g.Ldc, relu);
            }

            SimdDescent.Kernels.Gemm.BiasActivationBackward<float, ReluBackwardOperator<float>>(gradient, gradient, gradient, biasGradient, 64, 128, default);
        }

        RunAll();
        var before = GC.GetAllocatedBytesForCurrentThread();
        RunAll();
        RunAll();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
