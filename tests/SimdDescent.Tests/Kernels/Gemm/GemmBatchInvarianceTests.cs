using System.Numerics;
using System.Runtime.InteropServices;
using SimdDescent.Kernels;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Tests.Kernels.Gemm;

/// <summary>
/// Batch invariance: a row of C computed alone (m = 1: the row kernel, or a one-row tile when B is
/// transposed) is bitwise the row computed inside a batch (register tiles, direct or packed), for C
/// narrower than, as wide as and wider than one register (with last panels of one register, of less and of more), k odd and even, within and across K blocks
/// (k = 1 is the outer product), with alpha/beta and with bias plus activation.
/// </summary>
public sealed class GemmBatchInvarianceTests
{
    private const int MaxBatch = 64;

    // Past one two-register panel: a last panel of one register exactly (12, 24, 48 at 128, 256 and 512 bits for
    // float; 6, 12, 24 for double), of less than one (33, 40) and of more (3 at the scalar width).
    private static readonly int[] s_widths = [1, 2, 3, 5, 6, 8, 10, 12, 16, 17, 24, 33, 40, 48];
    private static readonly int[] s_depths = [1, 2, 7, 64, 300];

    // Every remainder of the 6-row tile, several tiles, and the largest batch.
    private static readonly int[] s_batches = [1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13, 31, MaxBatch];

    public static TheoryData<VectorPath> Widths => GemmMultiplyTests.Widths;

    [Theory]
    [MemberData(nameof(Widths))]
    public void Float_rows_are_bitwise_the_same_alone_and_in_every_batch(VectorPath path) =>
        EveryShape(path, (random, n) => new Multiplication<float>(0.75f, 0.5f));

    [Theory]
    [MemberData(nameof(Widths))]
    public void Double_rows_are_bitwise_the_same_alone_and_in_every_batch(VectorPath path) =>
        EveryShape(path, (random, n) => new Multiplication<double>(-1.25, 0));

    [Theory]
    [MemberData(nameof(Widths))]
    public void Fused_float_rows_are_bitwise_the_same_alone_and_in_every_batch(VectorPath path)
    {
        // Tanh and GELU take the transcendental paths at every width, including the row kernel's scalar tail.
        EveryShape(path, (random, n) => new BiasActivation<float, TanhOperator<float>>(Values<float>(random, n), default));
        EveryShape(path, (random, n) => new BiasActivation<float, GeluOperator<float>>(Values<float>(random, n), default));
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Fused_double_rows_are_bitwise_the_same_alone_and_in_every_batch(VectorPath path) =>
        EveryShape(path, (random, n) => new BiasActivation<double, ReluOperator<double>>(Values<double>(random, n), default));

    internal static T[] Values<T>(Random random, int count)
        where T : unmanaged, IBinaryFloatingPointIeee754<T> =>
        Enumerable.Range(0, count).Select(_ => T.CreateChecked((random.NextDouble() * 2) - 1)).ToArray();

    internal static void AssertBitwiseEqual<T>(ReadOnlySpan<T> expected, ReadOnlySpan<T> actual, string context)
        where T : unmanaged
    {
        if (MemoryMarshal.AsBytes(expected).SequenceEqual(MemoryMarshal.AsBytes(actual)))
        {
            return;
        }

        var index = 0;
        while (EqualityComparer<T>.Default.Equals(expected[index], actual[index]))
        {
            index++;
        }

        Assert.Fail($"{context}: element {index} is {actual[index]} in the batch but {expected[index]} alone.");
    }

    private static void EveryShape<T>(VectorPath path, Func<Random, int, IProduct<T>> product)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var random = new Random(71 + (int)path);
        using var scope = SimdDispatch.Force(path);
        foreach (var n in s_widths)
        {
            foreach (var k in s_depths)
            {
                foreach (var (transposeA, transposeB) in ((Transpose, Transpose)[])[(Transpose.No, Transpose.No), (Transpose.No, Transpose.Yes), (Transpose.Yes, Transpose.No)])
                {
                    foreach (var packed in (bool?[])[false, true])
                    {
                        var operands = new BatchOperands<T>(random, transposeA, transposeB, MaxBatch, n, k);
                        using (GemmMultiplyTests.Packing(packed))
                        {
                            operands.AssertRowsInvariant(product(random, n), s_batches, $"{path} {transposeA}{transposeB} n={n} k={k} packed={packed}");
                        }
                    }
                }
            }
        }
    }

    /// <summary>One GEMM entry point applied to a batch of rows.</summary>
    internal interface IProduct<T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        void Run(Transpose transposeA, Transpose transposeB, int m, int n, int k, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc);
    }

    internal readonly record struct Multiplication<T>(T Alpha, T Beta) : IProduct<T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        public void Run(Transpose transposeA, Transpose transposeB, int m, int n, int k, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc) =>
            SimdDescent.Kernels.Gemm.Multiply(transposeA, transposeB, m, n, k, Alpha, a, lda, b, ldb, Beta, c, ldc);
    }

    internal readonly record struct BiasActivation<T, TActivation>(T[] Bias, TActivation Activation) : IProduct<T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TActivation : struct, IUnaryOperator<T>
    {
        public void Run(Transpose transposeA, Transpose transposeB, int m, int n, int k, ReadOnlySpan<T> a, int lda, ReadOnlySpan<T> b, int ldb, Span<T> c, int ldc) =>
            SimdDescent.Kernels.Gemm.MultiplyBiasActivation(transposeA, transposeB, m, n, k, a, lda, b, ldb, Bias, c, ldc, Activation);
    }

    /// <summary>op(A) with <c>rows</c> rows, B and a starting C, so any leading run of rows (or one row) can be multiplied.</summary>
    internal sealed class BatchOperands<T>
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        private readonly T[] _a;
        private readonly T[] _b;
        private readonly T[] _c;
        private readonly int _lda;
        private readonly int _ldb;
        private readonly int _ldc;
        private readonly int _rows;
        private readonly int _n;
        private readonly int _k;
        private readonly Transpose _transposeA;
        private readonly Transpose _transposeB;

        public BatchOperands(Random random, Transpose transposeA, Transpose transposeB, int rows, int n, int k)
        {
            (_transposeA, _transposeB, _rows, _n, _k) = (transposeA, transposeB, rows, n, k);
            _lda = (transposeA == Transpose.No ? k : rows) + random.Next(3);
            _ldb = (transposeB == Transpose.No ? n : k) + random.Next(3);
            _ldc = n + random.Next(3);
            _a = Values<T>(random, (transposeA == Transpose.No ? rows : k) * _lda);
            _b = Values<T>(random, (transposeB == Transpose.No ? k : n) * _ldb);
            _c = Values<T>(random, rows * _ldc);
        }

        /// <summary>Each row alone, then every batch in <paramref name="batches"/>: each of its rows equals that row alone.</summary>
        public void AssertRowsInvariant(IProduct<T> product, IEnumerable<int> batches, string context)
        {
            var alone = (T[])_c.Clone();
            for (var i = 0; i < _rows; i++)
            {
                product.Run(_transposeA, _transposeB, 1, _n, _k, _a.AsSpan(_transposeA == Transpose.No ? i * _lda : i), _lda, _b, _ldb, alone.AsSpan(i * _ldc, _n), _ldc);
            }

            foreach (var batch in batches)
            {
                AssertBatch(product, alone, batch, context);
            }
        }

        private void AssertBatch(IProduct<T> product, T[] alone, int batch, string context)
        {
            var together = (T[])_c.Clone();
            product.Run(_transposeA, _transposeB, batch, _n, _k, _a, _lda, _b, _ldb, together, _ldc);
            for (var i = 0; i < batch; i++)
            {
                AssertBitwiseEqual<T>(alone.AsSpan(i * _ldc, _n), together.AsSpan(i * _ldc, _n), $"{context}: row {i} of a batch of {batch}");
            }
        }
    }
}
