using System.Numerics;
using SimdDescent.Kernels;

namespace SimdDescent.Tests.Kernels.Gemm;

public sealed class GemmMultiplyTests
{
    private const int MaxSize = 70;

    public static TheoryData<VectorPath> Widths => new(VectorPath.Scalar, VectorPath.Vector128, VectorPath.Vector256, VectorPath.Vector512);

    [Theory]
    [MemberData(nameof(Widths))]
    public void Float_matches_the_reference_for_every_size_1_to_70(VectorPath path) => EverySize<float>(path, seed: 11);

    [Theory]
    [MemberData(nameof(Widths))]
    public void Double_matches_the_reference_for_every_size_1_to_70(VectorPath path) => EverySize<double>(path, seed: 23);

    [Theory]
    [MemberData(nameof(Widths))]
    public void Float_matches_the_reference_across_block_boundaries(VectorPath path) =>
        BlockBoundaries<float>(path, [(145, 33, 257), (144, 16, 256), (143, 35, 513), (3, 4100, 5), (260, 9, 20)]);

    [Theory]
    [MemberData(nameof(Widths))]
    public void Double_matches_the_reference_across_block_boundaries(VectorPath path) =>
        BlockBoundaries<double>(path, [(73, 17, 257), (72, 8, 256), (71, 20, 300), (2, 4097, 3), (258, 5, 11)]);

    [Theory]
    [MemberData(nameof(Widths))]
    public void A_single_row_matches_the_reference(VectorPath path)
    {
        var random = new Random(5);
        using var scope = SimdDispatch.Force(path);
        foreach (var n in (int[])[1, 7, 8, 31, 64, 65, 130, 300])
        {
            foreach (var k in (int[])[1, 3, 257, 600])
            {
                foreach (var transposeA in (Transpose[])[Transpose.No, Transpose.Yes])
                {
                    var g = new GemmCase<float>(random, transposeA, Transpose.No, 1, n, k, padding: 2);
                    g.Call(1.5f, 0.5f);
                    GemmAssert.Multiplied(g, 1.5f, 0.5f, $"{path} 1×{n}×{k} {transposeA}N");
                }
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Beta_zero_ignores_NaN_in_C(VectorPath path)
    {
        var random = new Random(3);
        using var scope = SimdDispatch.Force(path);
        foreach (var packed in (bool?[])[null, true])
        {
            foreach (var (m, n, k) in ((int, int, int)[])[(1, 37, 9), (13, 19, 300), (6, 16, 4)])
            {
                var g = new GemmCase<float>(random, Transpose.No, Transpose.No, m, n, k, padding: 1);
                for (var i = 0; i < m; i++)
                {
                    g.C.AsSpan(i * g.Ldc, n).Fill(float.NaN);
                    g.Original.AsSpan(i * g.Ldc, n).Fill(float.NaN);
                }

                using (Packing(packed))
                {
                    g.Call(2f, 0f);
                }

                GemmAssert.Multiplied(g, 2f, 0f, $"{path} {m}×{n}×{k} packed={packed}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void NaN_and_infinity_propagate(VectorPath path)
    {
        var random = new Random(8);
        using var scope = SimdDispatch.Force(path);
        foreach (var packed in (bool?[])[null, true])
        {
            foreach (var (m, n, k) in ((int, int, int)[])[(1, 40, 20), (9, 21, 300), (14, 35, 6)])
            {
                var g = new GemmCase<double>(random, Transpose.No, Transpose.Yes, m, n, k, padding: 1);
                g.A[(m / 2 * g.Lda) + (k / 3)] = double.NaN;

                // Column n − 1 of op(B) holds +∞ at row k − 1; op(B)(p, j) = B[j·ldb + p].
                g.B[((n - 1) * g.Ldb) + k - 1] = double.PositiveInfinity;
                using (Packing(packed))
                {
                    g.Call(1d, 0d);
                }

                GemmAssert.Multiplied(g, 1d, 0d, $"{path} {m}×{n}×{k} packed={packed}");
                Assert.True(double.IsNaN(g.C[(m / 2 * g.Ldc) + 3]));
            }
        }
    }

    [Fact]
    public void Zero_k_scales_C_by_beta_and_empty_shapes_touch_nothing()
    {
        var random = new Random(2);
        var g = new GemmCase<float>(random, Transpose.No, Transpose.No, 5, 18, 0, padding: 2);
        g.Call(1f, 0.5f);
        GemmAssert.Multiplied(g, 1f, 0.5f, "k = 0");

        var empty = new GemmCase<float>(random, Transpose.Yes, Transpose.No, 0, 7, 4, padding: 0);
        empty.Call(1f, 1f);
        Assert.Equal(empty.Original, empty.C);
    }

    [Theory]
    [MemberData(nameof(Widths))]
    public void Outer_products_with_k_1_match_the_reference_for_every_width_of_C(VectorPath path)
    {
        // k = 1 takes its own path (a dense layer's weight gradient at batch 1): every n from under one
        // register to several with a partial last one, A in both layouts, B transposed (the packed nest).
        var random = new Random(41);
        (float Alpha, float Beta)[] scalars = [(1f, 0f), (-1.5f, 0f), (1f, 1f), (0.75f, -2.5f)];
        using var scope = SimdDispatch.Force(path);
        for (var n = 1; n <= 70; n++)
        {
            foreach (var m in (int[])[1, 2, 7])
            {
                for (var variant = 0; variant < 4; variant++)
                {
                    var (transposeA, transposeB) = ((Transpose)(variant & 1), (Transpose)(variant >> 1));
                    var (alpha, beta) = scalars[(n + m + variant) % scalars.Length];
                    var g = new GemmCase<float>(random, transposeA, transposeB, m, n, 1, padding: 3);
                    g.Call(alpha, beta);
                    GemmAssert.Multiplied(g, alpha, beta, $"{path} {transposeA}{transposeB} {m}×{n}×1");
                }
            }
        }
    }

    internal static ForcedPacking Packing(bool? packed) => new(packed);

    private static void EverySize<T>(VectorPath path, int seed)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var random = new Random(seed + (int)path);
        (T Alpha, T Beta)[] scalars =
        [
            (T.One, T.Zero), (T.CreateChecked(-1.5), T.Zero), (T.One, T.One), (T.CreateChecked(0.75), T.CreateChecked(-2.5)),
        ];
        using var scope = SimdDispatch.Force(path);
        for (var round = 0; round < 2; round++)
        {
            var ms = GemmAssert.Permutation(random, MaxSize);
            var ns = GemmAssert.Permutation(random, MaxSize);
            var ks = GemmAssert.Permutation(random, MaxSize);
            for (var index = 0; index < MaxSize; index++)
            {
                var transposeA = (Transpose)(index & 1);
                var transposeB = (Transpose)((index >> 1) & 1);
                var (alpha, beta) = scalars[(index + round) % scalars.Length];
                bool? packed = (index + round) % 3 == 0 ? true : null;
                var g = new GemmCase<T>(random, transposeA, transposeB, ms[index], ns[index], ks[index], padding: 3);
                using (Packing(packed))
                {
                    g.Call(alpha, beta);
                }

                GemmAssert.Multiplied(g, alpha, beta, $"{path} {transposeA}{transposeB} {g.M}×{g.N}×{g.K} packed={packed}");
            }
        }
    }

    private static void BlockBoundaries<T>(VectorPath path, (int M, int N, int K)[] shapes)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var random = new Random(17);
        using var scope = SimdDispatch.Force(path);
        var variant = 0;
        foreach (var (m, n, k) in shapes)
        {
            foreach (var packed in (bool?[])[null, true])
            {
                var transposeA = (Transpose)(variant & 1);
                var transposeB = (Transpose)((variant >> 1) & 1);
                variant++;
                var g = new GemmCase<T>(random, transposeA, transposeB, m, n, k, padding: 2);
                var (alpha, beta) = (T.CreateChecked(0.5), T.CreateChecked(1.25));
                using (Packing(packed))
                {
                    g.Call(alpha, beta);
                }

                GemmAssert.Multiplied(g, alpha, beta, $"{path} {transposeA}{transposeB} {m}×{n}×{k} packed={packed}");
            }
        }
    }
}

/// <summary>Forces the packed or direct GEMM path on this thread for the scope's lifetime.</summary>
internal readonly struct ForcedPacking : IDisposable
{
    private readonly bool? _previous;

    public ForcedPacking(bool? packed)
    {
        _previous = SimdDescent.Kernels.Gemm.ForcePacking;
        SimdDescent.Kernels.Gemm.ForcePacking = packed;
    }

    public void Dispose() => SimdDescent.Kernels.Gemm.ForcePacking = _previous;
}
