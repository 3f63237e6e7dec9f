using System.Numerics;
using SimdDescent.Kernels.Operators;
using SimdDescent.Kernels.Parallel;

namespace SimdDescent.Kernels;

/// <summary>
/// Splits one product over the worker pool by blocks of C: whole row tiles when C is taller than wide,
/// otherwise column ranges that are a multiple of every panel width. Each part runs the single-thread
/// driver on its own sub-matrices with its own per-thread workspace, under the plan made for the whole
/// product, so each element of C sees exactly the operations it would see on one thread.
/// </summary>
internal static class GemmThreads
{
    // A multiple of every panel width (2 … 32 elements), so column parts never cut a panel the one-thread run would keep whole.
    private const int ColumnUnit = 64;

    public static unsafe void Run<T, TActivation>(
        WorkerPool pool, scoped in GemmOperands<T> g, T alpha, T beta, bool fused, TActivation activation, GemmPlan plan, int threads)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TActivation : struct, IUnaryOperator<T>
    {
        var splitRows = g.M >= g.N;
        var extent = splitRows ? g.M : g.N;
        var unit = splitRows ? MicroKernel.Rows : ColumnUnit;
        var chunk = (((extent + threads - 1) / threads) + unit - 1) / unit * unit;
        fixed (T* a = &g.A, b = &g.B, c = &g.C, bias = &g.Bias)
        {
            var parts = new Parts<T, TActivation>
            {
                A = a,
                B = b,
                C = c,
                Bias = bias,
                Lda = g.Lda,
                Ldb = g.Ldb,
                Ldc = g.Ldc,
                M = g.M,
                N = g.N,
                K = g.K,
                TransposeA = g.TransposeA,
                TransposeB = g.TransposeB,
                HasBias = g.HasBias,
                Alpha = alpha,
                Beta = beta,
                Fused = fused,
                Activation = activation,
                Plan = plan,
                SplitRows = splitRows,
                Extent = extent,
                Chunk = chunk,
            };
            pool.For((extent + chunk - 1) / chunk, parts);
        }
    }

    /// <summary>The product's operands as pointers (pinned by the caller for the loop) and how it is cut.</summary>
    private unsafe struct Parts<T, TActivation> : IParallelFor
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TActivation : struct, IUnaryOperator<T>
    {
        public T* A;
        public T* B;
        public T* C;
        public T* Bias;
        public nint Lda;
        public nint Ldb;
        public nint Ldc;
        public int M;
        public int N;
        public int K;
        public bool TransposeA;
        public bool TransposeB;
        public bool HasBias;
        public T Alpha;
        public T Beta;
        public bool Fused;
        public TActivation Activation;
        public GemmPlan Plan;
        public bool SplitRows;
        public int Extent;
        public int Chunk;

        public readonly void Run(int part)
        {
            var start = part * Chunk;
            var length = Math.Min(Chunk, Extent - start);
            var rowStart = SplitRows ? start : 0;
            var columnStart = SplitRows ? 0 : start;
            var sub = new GemmOperands<T>
            {
                A = ref A[TransposeA ? rowStart : rowStart * Lda],
                B = ref B[TransposeB ? columnStart * Ldb : columnStart],
                C = ref C[(rowStart * Ldc) + columnStart],
                Bias = ref HasBias ? ref Bias[columnStart] : ref *(T*)null,
                HasBias = HasBias,
                Lda = Lda,
                Ldb = Ldb,
                Ldc = Ldc,
                M = SplitRows ? length : M,
                N = SplitRows ? N : length,
                K = K,
                TransposeA = TransposeA,
                TransposeB = TransposeB,
            };
            Gemm.RunPart(sub, Alpha, Beta, Fused, Activation, Plan);
        }
    }
}
