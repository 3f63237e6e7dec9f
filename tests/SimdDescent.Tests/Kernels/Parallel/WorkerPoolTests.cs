using SimdDescent.Kernels;
using SimdDescent.Kernels.Parallel;
using SimdDescent.Tests.Support;

namespace SimdDescent.Tests.Kernels.Parallel;

public sealed class WorkerPoolTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Every_part_runs_exactly_once_for_any_number_of_parts(int threads)
    {
        using var pool = new WorkerPool(threads);
        for (var round = 0; round < 2_000; round++)
        {
            var parts = (round % 7) + 1;
            var runs = new int[parts];
            pool.For(parts, new Counting(runs));
            Assert.All(runs, count => Assert.Equal(1, count));
        }
    }

    [Fact]
    public void Part_p_runs_on_worker_p_modulo_the_workers_in_use_and_part_0_on_the_caller()
    {
        using var pool = new WorkerPool(3);
        foreach (var parts in (int[])[2, 3, 7])
        {
            var threads = new int[parts];
            pool.For(parts, new Recording(threads));
            var used = Math.Min(parts, 3);
            Assert.Equal(Environment.CurrentManagedThreadId, threads[0]);
            for (var p = 0; p < parts; p++)
            {
                Assert.Equal(threads[p % used], threads[p]);
            }

            Assert.Equal(used, threads.Distinct().Count());
        }
    }

    [Fact]
    public void Workers_run_at_the_callers_forced_width()
    {
        using var pool = new WorkerPool(2);
        var paths = new VectorPath[2];
        using (SimdDispatch.Force(VectorPath.Vector128))
        {
            pool.For(2, new PathRecording(paths));
        }

        Assert.Equal([VectorPath.Vector128, VectorPath.Vector128], paths);
    }

    [Fact]
    public void A_part_exception_reaches_the_caller_and_the_pool_keeps_working()
    {
        using var pool = new WorkerPool(2);
        var error = Assert.Throws<InvalidOperationException>(() => pool.For(2, new Failing(1)));
        Assert.Equal("part 1", error.Message);
        var runs = new int[2];
        pool.For(2, new Counting(runs));
        Assert.Equal([1, 1], runs);
    }

    [Fact]
    public void A_loop_started_inside_a_part_runs_on_that_thread_and_completes()
    {
        using var pool = new WorkerPool(2);
        var inner = new int[2 * 3];
        pool.For(2, new Nesting(pool, inner));
        Assert.All(inner, count => Assert.Equal(1, count));
    }

    [Fact]
    public void A_disposed_pool_runs_loops_on_the_caller()
    {
        var pool = new WorkerPool(2);
        pool.Dispose();
        var threads = new int[2];
        pool.For(2, new Recording(threads));
        Assert.Equal([Environment.CurrentManagedThreadId, Environment.CurrentManagedThreadId], threads);
    }

    internal readonly struct Counting(int[] runs, int offset = 0) : IParallelFor
    {
        public void Run(int part) => Interlocked.Increment(ref runs[offset + part]);
    }

    private readonly struct Recording(int[] threads) : IParallelFor
    {
        public void Run(int part) => threads[part] = Environment.CurrentManagedThreadId;
    }

    private readonly struct PathRecording(VectorPath[] paths) : IParallelFor
    {
        public void Run(int part) => paths[part] = SimdDispatch.Current;
    }

    private readonly struct Failing(int failingPart) : IParallelFor
    {
        public void Run(int part)
        {
            if (part == failingPart)
            {
                throw new InvalidOperationException($"part {part}");
            }
        }
    }

    private readonly struct Nesting(WorkerPool pool, int[] inner) : IParallelFor
    {
        public void Run(int part) => pool.For(3, new Counting(inner, part * 3));
    }
}

/// <summary>Counts allocated bytes, so it runs alone (see <see cref="AllocationMeasurementCollection"/>).</summary>
[Collection(nameof(AllocationMeasurementCollection))]
public sealed class WorkerPoolAllocationTests
{
    [Fact]
    public void A_loop_allocates_nothing_on_the_caller_or_the_workers()
    {
        using var pool = new WorkerPool(3);
        var runs = new int[5];

        // Rounds until one allocates nothing: the JIT's late tiers compile on the measured threads; a real
        // per-loop allocation would show in every round.
        var rounds = new List<(long Caller, long Helpers)>();
        (long Caller, long Helpers) last;
        do
        {
            var helpers = pool.HelperAllocatedBytes;
            var caller = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 1_000; i++)
            {
                pool.For(5, new WorkerPoolTests.Counting(runs));
            }

            last = (GC.GetAllocatedBytesForCurrentThread() - caller, pool.HelperAllocatedBytes - helpers);
            rounds.Add(last);
        }
        while (last != (0, 0) && rounds.Count < 40);

        Assert.True(last == (0, 0), $"bytes allocated per round of 1,000 loops (caller, helpers): {string.Join(", ", rounds)}");
        Assert.All(runs, count => Assert.Equal(1_000 * rounds.Count, count));
    }
}
