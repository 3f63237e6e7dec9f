using System.Numerics;
using SimdDescent.Kernels;
using SimdDescent.Kernels.Parallel;

namespace SimdDescent.Layers;

/// <summary>
/// Work over independent (batch, head) pairs, such as attention's: run on the calling thread, or split into
/// contiguous ranges of pairs over the <see cref="Gemm.MaxThreads"/> workers when there is enough of it. Each pair
/// is computed by the same operations on whichever thread runs it, so the result never depends on the split.
/// </summary>
internal static class HeadParallel
{
    /// <summary>The work on pairs [first, end), with a scratch that is the running thread's own.</summary>
    public interface IWork<T>
    {
        void Run(int first, int end, Span<T> scratch);
    }

    /// <summary>
    /// Runs <paramref name="work"/> over <paramref name="pairs"/> pairs of about <paramref name="workPerPair"/> multiply-adds
    /// each, split as far as each thread keeps the GEMM's minimum share. The range that includes pair 0 uses
    /// <paramref name="scratch"/>; the others a scratch of the same length owned by their thread, allocated at its first
    /// use at that length.
    /// </summary>
    public static unsafe void Run<T, TWork>(TWork work, int pairs, long workPerPair, Span<T> scratch)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TWork : struct, IWork<T>
    {
        var pool = Gemm.Pool;
        var threads = pool is null ? 1 : (int)Math.Min(Math.Min(pool.Workers, pairs), Math.Max(1, pairs * workPerPair / Gemm.MinimumWorkPerThread));
        if (threads <= 1)
        {
            work.Run(0, pairs, scratch);
            return;
        }

        fixed (T* pointer = scratch)
        {
            pool!.For(threads, new Ranges<T, TWork>(work, pairs, threads, pointer, scratch.Length));
        }
    }

    /// <summary>Part p of the loop: pairs [p·pairs/parts, (p + 1)·pairs/parts).</summary>
    private readonly unsafe struct Ranges<T, TWork>(TWork work, int pairs, int parts, T* scratch, int scratchLength) : IParallelFor
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TWork : struct, IWork<T>
    {
        public void Run(int part)
        {
            var first = (int)((long)pairs * part / parts);
            var end = (int)((long)pairs * (part + 1) / parts);
            work.Run(first, end, part == 0 ? new Span<T>(scratch, scratchLength) : ThreadScratch<T>.Get(scratchLength));
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
