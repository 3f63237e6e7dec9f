using System.Numerics;
using SimdDescent.Kernels;
using SimdDescent.Kernels.Parallel;

namespace SimdDescent.Layers;

/// <summary>
/// Work over independent (batch, head) pairs, such as attention's: run on the calling thread, or split into
/// contiguous ranges of pairs by <see cref="ParallelRanges"/> when there is enough of it. Each pair is computed
/// by the same operations on whichever thread runs it, so the result never depends on the split.
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
    /// each. The range that includes pair 0 uses <paramref name="scratch"/>; the others a scratch of the same length owned
    /// by their thread (<see cref="ThreadScratch{T}"/>).
    /// </summary>
    public static unsafe void Run<T, TWork>(TWork work, int pairs, long workPerPair, Span<T> scratch)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TWork : struct, IWork<T>
    {
        fixed (T* pointer = scratch)
        {
            ParallelRanges.Run(new WithScratch<T, TWork>(work, pointer, scratch.Length), pairs, workPerPair);
        }
    }

    private readonly unsafe struct WithScratch<T, TWork>(TWork work, T* scratch, int scratchLength) : IRangeWork
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
        where TWork : struct, IWork<T>
    {
        public void Run(int first, int end, int part) =>
            work.Run(first, end, part == 0 ? new Span<T>(scratch, scratchLength) : ThreadScratch<T>.Get(scratchLength));
    }
}
