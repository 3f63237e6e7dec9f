using SimdDescent.Kernels;
using SimdDescent.Training.Parallel;

namespace SimdDescent.Tests.Training.Parallel;

public sealed class WorkerPoolTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Every_worker_runs_every_job_exactly_once(int threads)
    {
        using var pool = new WorkerPool(threads);
        var job = new CountingJob(threads);

        for (var i = 0; i < 20_000; i++)
        {
            pool.Run(job);
            Assert.All(job.Runs, runs => Assert.Equal(i + 1, runs));
        }
    }

    [Fact]
    public void Workers_run_at_the_callers_forced_width()
    {
        using var pool = new WorkerPool(2);
        var job = new PathJob();

        using (SimdDispatch.Force(VectorPath.Vector128))
        {
            pool.Run(job);
        }

        Assert.Equal([VectorPath.Vector128, VectorPath.Vector128], job.Paths);
    }

    [Fact]
    public void A_worker_exception_reaches_the_caller_and_the_pool_keeps_working()
    {
        using var pool = new WorkerPool(2);
        var failing = new FailingJob();

        var error = Assert.Throws<InvalidOperationException>(() => pool.Run(failing));
        Assert.Equal("worker 1", error.Message);
        var job = new CountingJob(2);
        pool.Run(job);
        Assert.Equal([1, 1], job.Runs);
    }

    private sealed class CountingJob(int workers) : IParallelJob
    {
        public int[] Runs { get; } = new int[workers];

        public void Execute(int worker, int count)
        {
            Assert.Equal(Runs.Length, count);
            Runs[worker]++;
        }
    }

    private sealed class PathJob : IParallelJob
    {
        public VectorPath[] Paths { get; } = new VectorPath[2];

        public void Execute(int worker, int workers) => Paths[worker] = SimdDispatch.Current;
    }

    private sealed class FailingJob : IParallelJob
    {
        public void Execute(int worker, int workers)
        {
            if (worker == 1)
            {
                throw new InvalidOperationException("worker 1");
            }
        }
    }
}
