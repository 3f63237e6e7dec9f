using System.Numerics;
using SimdDescent.Kernels.Operators;

namespace SimdDescent.Kernels;

/// <summary>
/// Splits one product over threads by blocks of C: whole row tiles when C is taller than wide,
/// otherwise column ranges that are a multiple of every panel width. Each part runs the single-thread
/// driver on its own sub-matrices with its own per-thread workspace, under the plan made for the whole
/// product, so each element of C sees exactly the operations it would see on one thread.
/// </summary>
internal static class GemmThreads
{
    // A multiple of every panel width (2 … 32 elements), so column parts never cut a panel the one-thread run would keep whole.
    private const int ColumnUnit = 64;

    public static unsafe void Run<T, TActivation>(
        scoped in GemmOperands<T> g, T alpha, T beta, bool fused, TActivation activation, GemmPlan plan, int threads)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TActivation : struct, IUnaryOperator<T>
    {
        var splitRows = g.M >= g.N;
        var extent = splitRows ? g.M : g.N;
        var unit = splitRows ? MicroKernel.Rows : ColumnUnit;
        var chunk = (((extent + threads - 1) / threads) + unit - 1) / unit * unit;
        var parts = (extent + chunk - 1) / chunk;
        var (m, n, k, lda, ldb, ldc) = (g.M, g.N, g.K, g.Lda, g.Ldb, g.Ldc);
        var (transposeA, transposeB, hasBias) = (g.TransposeA, g.TransposeB, g.HasBias);
        fixed (T* a = &g.A, b = &g.B, c = &g.C, bias = &g.Bias)
        {
            var (pa, pb, pc, pbias) = ((nint)a, (nint)b, (nint)c, (nint)bias);
            Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = threads }, part =>
            {
                var start = part * chunk;
                var length = Math.Min(chunk, extent - start);
                var rowStart = splitRows ? start : 0;
                var columnStart = splitRows ? 0 : start;
                var sub = new GemmOperands<T>
                {
                    A = ref ((T*)pa)[transposeA ? rowStart : rowStart * lda],
                    B = ref ((T*)pb)[transposeB ? columnStart * ldb : columnStart],
                    C = ref ((T*)pc)[(rowStart * ldc) + columnStart],
                    Bias = ref hasBias ? ref ((T*)pbias)[columnStart] : ref *(T*)null,
                    HasBias = hasBias,
                    Lda = lda,
                    Ldb = ldb,
                    Ldc = ldc,
                    M = splitRows ? length : m,
                    N = splitRows ? n : length,
                    K = k,
                    TransposeA = transposeA,
                    TransposeB = transposeB,
                };
                Gemm.RunPart(sub, alpha, beta, fused, activation, plan);
            });
        }
    }
}
