using System.Runtime.InteropServices;

namespace SimdDescent.Benchmarks.Gemm;

/// <summary>
/// OpenBLAS's cblas_sgemm through a function pointer, when libopenblas.so.0 can be loaded
/// (<c>apt-get install libopenblas0</c>). Single-threaded: the benchmark process sets
/// OPENBLAS_NUM_THREADS=1 and calls openblas_set_num_threads(1) as well.
/// </summary>
internal static unsafe class OpenBlas
{
    private const int RowMajor = 101;
    private const int NoTrans = 111;
    private const int Trans = 112;

    private static readonly delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void> s_sgemm;

    static OpenBlas()
    {
        if (!NativeLibrary.TryLoad("libopenblas.so.0", out var library))
        {
            return;
        }

        if (NativeLibrary.TryGetExport(library, "openblas_set_num_threads", out var setThreads))
        {
            ((delegate* unmanaged<int, void>)setThreads)(1);
        }

        if (NativeLibrary.TryGetExport(library, "cblas_sgemm", out var sgemm))
        {
            s_sgemm = (delegate* unmanaged<int, int, int, int, int, int, float, float*, int, float*, int, float, float*, int, void>)sgemm;
        }
    }

    public static bool IsAvailable => s_sgemm != null;

    public static void Sgemm(bool transposeA, bool transposeB, int m, int n, int k, float alpha,
        float[] a, int lda, float[] b, int ldb, float beta, float[] c, int ldc)
    {
        fixed (float* pa = a, pb = b, pc = c)
        {
            s_sgemm(RowMajor, transposeA ? Trans : NoTrans, transposeB ? Trans : NoTrans, m, n, k, alpha, pa, lda, pb, ldb, beta, pc, ldc);
        }
    }
}
