using System.Numerics;
using SimdDescent.Kernels;

namespace SimdDescent.Layers;

/// <summary>
/// Work over independent (batch, head) pairs, such as attention's: run on the calling thread, or split into
/// contiguous ranges of pairs over up to <see cref="Gemm.MaxThreads"/> threads when there is enough of it. Each pair
/// is computed by the same operations on whichever thread runs it, so the result never depends on the split.
/// </summary>
internal static class HeadParallel
{
    // Below this many multiply-adds per thread, starting a task costs more than it saves (as for the GEMM).
    private const long MinimumWorkPerThread = 1L << 21;

    /// <summary>The work on pairs [first, end), with a scratch that is the running thread's own.</summary>
    public interface IWork<T>
    {
        void Run(int first, int end, Span<T> scratch);
    }

    /// <summary>
    /// Runs <paramref name="work"/> over <paramref name="pairs"/> pairs of about <paramref name="workPerPair"/> multiply-adds
    /// each. The range that includes pair 0 uses <paramref name="scratch"/>; the others a scratch of the same length
    /// owned by their thread, allocated at its first use at that length.
    /// </summary>
    public static void Run<T, TWork>(TWork work, int pairs, long workPerPair, Span<T> scratch)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TWork : struct, IWork<T>
    {
        var threads = (int)Math.Min(Math.Min(Gemm.MaxThreads, pairs), Math.Max(1, pairs * workPerPair / MinimumWorkPerThread));
        if (threads <= 1)
        {
            work.Run(0, pairs, scratch);
            return;
        }

        Split<T, TWork>(work, pairs, threads, scratch);
    }

    // Apart from Run, so that the common one-thread call does not allocate the lambda's closure.
    private static unsafe void Split<T, TWork>(TWork work, int pairs, int threads, Span<T> scratch)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TWork : struct, IWork<T>
    {
        // A width forced on the calling thread (tests, diagnostics) holds on the workers too.
        var forced = SimdDispatch.AnyForced;
        var path = SimdDispatch.Current;
        var length = scratch.Length;
        fixed (T* pointer = scratch)
        {
            var address = (nint)pointer;
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, part =>
            {
                using var width = forced ? SimdDispatch.Force(path) : default;
                var first = (int)((long)pairs * part / threads);
                var end = (int)((long)pairs * (part + 1) / threads);
                work.Run(first, end, part == 0 ? new Span<T>((void*)address, length) : ThreadScratch<T>.Get(length));
            });
        }
    }

    private static class ThreadScratch<T>
    {
        [ThreadStatic]
        private static T[]? t_buffer;

        public static Span<T> Get(int length)
        {
            if (t_buffer is null || t_buffer.Length < length)
            {
                t_buffer = new T[length];
            }

            return t_buffer.AsSpan(0, length);
        }
    }
}
