using SimdDescent.Kernels;

namespace SimdDescent.Tests.Support;

/// <summary>Runs code with a given GEMM thread count and every parallel loop split as far as it has items, then restores both settings.</summary>
public static class SplitThreads
{
    public static TResult With<TResult>(int threads, Func<TResult> run)
    {
        var (previousThreads, previousWork) = (Gemm.MaxThreads, Gemm.MinimumWorkPerThread);
        Gemm.MaxThreads = threads;
        Gemm.MinimumWorkPerThread = 1;
        try
        {
            return run();
        }
        finally
        {
            Gemm.MaxThreads = previousThreads;
            Gemm.MinimumWorkPerThread = previousWork;
        }
    }
}
