using System.Runtime.ExceptionServices;
using SimdDescent.Kernels;

namespace SimdDescent.Training.Parallel;

/// <summary>
/// Long-lived worker threads that run one <see cref="IParallelJob"/> at a time together with the
/// calling thread (worker 0). Two barrier phases per job, no tasks, no delegates: a job allocates
/// nothing. Workers run at the caller's <see cref="SimdDispatch.Current"/> width, so a forced width
/// applies to the whole job.
/// </summary>
internal sealed class WorkerPool : IDisposable
{
    private readonly Thread[] _threads;
    private readonly Barrier? _barrier;
    private readonly long[] _allocatedBytes;
    private IParallelJob? _job;
    private VectorPath _path;
    private Exception? _failure;
    private volatile bool _stopping;

    public WorkerPool(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        Workers = threads;
        _allocatedBytes = new long[threads];
        _threads = new Thread[threads - 1];
        if (threads == 1)
        {
            return;
        }

        _barrier = new Barrier(threads);
        for (var i = 0; i < _threads.Length; i++)
        {
            var worker = i + 1;
            _threads[i] = new Thread(() => Loop(worker)) { IsBackground = true, Name = $"SimdDescent trainer worker {worker}" };
            _threads[i].Start();
        }
    }

    /// <summary>Threads that run each job, the caller included.</summary>
    public int Workers { get; }

    /// <summary>Bytes allocated so far on the helper threads, as each measured after its last job (for allocation tests).</summary>
    public long HelperAllocatedBytes
    {
        get
        {
            long total = 0;
            for (var i = 1; i < _allocatedBytes.Length; i++)
            {
                total += Volatile.Read(ref _allocatedBytes[i]);
            }

            return total;
        }
    }

    /// <summary>Runs <paramref name="job"/> on every worker and returns when all are done; rethrows a worker's exception.</summary>
    public void Run(IParallelJob job)
    {
        ObjectDisposedException.ThrowIf(_stopping, this);
        if (_barrier is null)
        {
            job.Execute(0, 1);
            return;
        }

        _job = job;
        _path = SimdDispatch.Current;
        _barrier.SignalAndWait();
        try
        {
            job.Execute(0, Workers);
        }
        finally
        {
            _barrier.SignalAndWait();
            _job = null;
        }

        if (_failure is { } failure)
        {
            _failure = null;
            ExceptionDispatchInfo.Throw(failure);
        }
    }

    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        if (_barrier is null)
        {
            return;
        }

        _barrier.SignalAndWait();
        foreach (var thread in _threads)
        {
            thread.Join();
        }

        _barrier.Dispose();
    }

    private void Loop(int worker)
    {
        while (true)
        {
            _barrier!.SignalAndWait();
            if (_stopping)
            {
                return;
            }

            try
            {
                using (SimdDispatch.Force(_path))
                {
                    _job!.Execute(worker, Workers);
                }
            }
            catch (Exception exception)
            {
                Interlocked.CompareExchange(ref _failure, exception, null);
            }

            Volatile.Write(ref _allocatedBytes[worker], GC.GetAllocatedBytesForCurrentThread());
            _barrier.SignalAndWait();
        }
    }
}
