namespace SimdDescent.Kernels.Parallel;

/// <summary>
/// Splits a loop over independent items (rows of an element-wise pass, columns of a sum over rows,
/// chunks of a parameter update, attention's (batch, head) pairs) into contiguous ranges over the
/// <see cref="Gemm.MaxThreads"/> workers, as far as each range keeps <see cref="Gemm.MinimumWorkPerThread"/>
/// of work. Each item is computed by the same operations whichever range holds it, so the result never
/// depends on the split; bodies that reduce across items must keep that reduction inside one item.
/// </summary>
internal static class ParallelRanges
{
    /// <summary>
    /// A unit for ranges of columns or elements: a multiple of every register width, so a range starts on a
    /// register boundary of the whole loop and never runs narrower than the whole would.
    /// </summary>
    public const int VectorUnit = 64;

    /// <summary>The work of one element of a cheap element-wise pass, in multiply-adds of a product's time.</summary>
    public const long ElementwiseWork = 8;

    /// <summary>
    /// Runs <paramref name="work"/> over [0, <paramref name="count"/>) items of about <paramref name="workPerItem"/>
    /// multiply-adds each (or the time of as many). Every boundary between ranges is a multiple of
    /// <paramref name="unit"/>, and every range but the last holds a multiple of it: a vector kernel run on a
    /// range then sees the same registers, and the same tail, as on the whole loop.
    /// </summary>
    public static void Run<TWork>(in TWork work, int count, long workPerItem, int unit = 1)
        where TWork : struct, IRangeWork
    {
        var threads = Threads(count, workPerItem, unit);
        if (threads <= 1)
        {
            work.Run(0, count, 0);
            return;
        }

        Gemm.Pool!.For(threads, new Ranges<TWork>(work, count, threads, unit));
    }

    /// <summary>How many ranges <see cref="Run{TWork}"/> cuts the loop into.</summary>
    public static int Threads(int count, long workPerItem, int unit = 1)
    {
        var pool = Gemm.Pool;
        if (pool is null)
        {
            return 1;
        }

        var byWork = Math.Max(1, count * workPerItem / Gemm.MinimumWorkPerThread);
        return (int)Math.Min(Math.Min(pool.Workers, count / unit), byWork);
    }

    /// <summary>Range p: [p·units/parts, (p + 1)·units/parts) units, the last one running to the end of the loop.</summary>
    private readonly struct Ranges<TWork>(TWork work, int count, int parts, int unit) : IParallelFor
        where TWork : struct, IRangeWork
    {
        public void Run(int part)
        {
            var units = count / unit;
            var first = (int)((long)units * part / parts) * unit;
            var end = part == parts - 1 ? count : (int)((long)units * (part + 1) / parts) * unit;
            work.Run(first, end, part);
        }
    }
}
