using System.Diagnostics;
using System.Runtime.ExceptionServices;
using SimdDescent.Kernels;

namespace SimdDescent.Training.Parallel;

/// <summary>
/// Long-lived worker threads that run one <see cref="IParallelJob"/> at a time together with the
/// calling thread (worker 0). A job is started by bumping a generation counter and finished when a
/// countdown reaches zero; waiting spins for up to <see cref="SpinBeforeBlocking"/> and then blocks on a monitor.
/// No tasks, delegates or lazily created events, so a job allocates nothing. Workers run at the
/// caller's <see cref="SimdDispatch.Current"/> width, so a forced width applies to the whole job.
/// </summary>
internal sealed class WorkerPool : IDisposable
{
    /// <summary>
    /// How long a waiting thread spins before it blocks. Waking a blocked thread costs tens of
    /// microseconds on a VM, about as much as a shard's work, so waits inside a running step (the other
    /// worker finishing its shard, the serial bits between the step's three jobs) must end while
    /// spinning. Longer would not help and would hurt when the machine is oversubscribed: a spinning
    /// thread then holds a core the thread it waits for needs (a 1 ms spin made steps ten times slower
    /// while a compiler ran beside them).
    /// </summary>
    private static readonly long SpinBeforeBlocking = Stopwatch.Frequency / 20_000;

    private readonly Thread[] _threads;
    private readonly long[] _allocatedBytes;
    private readonly object _gate = new();
    private IParallelJob? _job;
    private VectorPath _path;
    private Exception? _failure;
    private int _generation;
    private int _running;
    private volatile bool _stopping;

    public WorkerPool(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(threads);
        Workers = threads;
        _allocatedBytes = new long[threads];
        _threads = new Thread[threads - 1];
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
        if (_threads.Length == 0)
        {
            job.Execute(0, 1);
            return;
        }

        _job = job;
        _path = SimdDispatch.Current;
        Volatile.Write(ref _running, _threads.Length);
        StartGeneration();
        try
        {
            job.Execute(0, Workers);
        }
        finally
        {
            WaitUntil(ref _running, 0);
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
        StartGeneration();
        foreach (var thread in _threads)
        {
            thread.Join();
        }
    }

    private void Loop(int worker)
    {
        var seen = 0;
        while (true)
        {
            WaitWhile(ref _generation, seen);
            seen = Volatile.Read(ref _generation);
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
            if (Interlocked.Decrement(ref _running) == 0)
            {
                WakeAll();
            }
        }
    }

    /// <summary>Starts the next job on the helpers (only the calling thread writes the generation).</summary>
    private void StartGeneration()
    {
        lock (_gate)
        {
            Volatile.Write(ref _generation, _generation + 1);
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>
    /// Wakes blocked waiters after a counter changed. It only pulses: writing the counter here could
    /// overwrite the next job's countdown, which the caller may already have set.
    /// </summary>
    private void WakeAll()
    {
        lock (_gate)
        {
            Monitor.PulseAll(_gate);
        }
    }

    private void WaitUntil(ref int field, int value)
    {
        var spinner = default(SpinWait);
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetTimestamp() - started < SpinBeforeBlocking)
        {
            if (Volatile.Read(ref field) == value)
            {
                return;
            }

            spinner.SpinOnce(sleep1Threshold: -1);
        }

        lock (_gate)
        {
            while (Volatile.Read(ref field) != value)
            {
                Monitor.Wait(_gate);
            }
        }
    }

    private void WaitWhile(ref int field, int value)
    {
        var spinner = default(SpinWait);
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetTimestamp() - started < SpinBeforeBlocking)
        {
            if (Volatile.Read(ref field) != value)
            {
                return;
            }

            spinner.SpinOnce(sleep1Threshold: -1);
        }

        lock (_gate)
        {
            while (Volatile.Read(ref field) == value)
            {
                Monitor.Wait(_gate);
            }
        }
    }
}
