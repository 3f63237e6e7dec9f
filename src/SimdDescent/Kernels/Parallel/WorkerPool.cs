using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace SimdDescent.Kernels.Parallel;

/// <summary>
/// Long-lived worker threads that run the parts of one loop at a time together with the calling thread
/// (worker 0). Part p always runs on worker p mod min(parts, workers), so a loop with one part per worker
/// keeps each part on the same core from call to call. A loop is started by bumping a generation counter
/// and finished when a countdown reaches zero; waiting threads spin for up to
/// <see cref="SpinBeforeBlocking"/> and then block, so idle workers hold no core. The loop's state is
/// read in place from the caller's stack through a function pointer: no tasks, delegates or boxes, so a
/// loop allocates nothing. Workers run at the caller's <see cref="SimdDispatch.Current"/> width. A loop
/// started while the pool is busy (from another thread, or from inside one of its own parts) runs on
/// the calling thread alone, so nested parallel calls never oversubscribe or deadlock; so does one on a
/// disposed pool.
/// </summary>
internal sealed unsafe class WorkerPool : IDisposable
{
    /// <summary>
    /// How long a waiting thread spins before it blocks. Waking a blocked thread costs tens of
    /// microseconds on a VM, about as much as a part's work, so waits inside a running step (the other
    /// worker finishing its part, the serial bits between a step's loops) must end while spinning.
    /// Longer would not help and would hurt when the machine is oversubscribed: a spinning thread then
    /// holds a core the thread it waits for needs (a 1 ms spin made steps ten times slower while a
    /// compiler ran beside them).
    /// </summary>
    private static readonly long SpinBeforeBlocking = Stopwatch.Frequency / 20_000;

    private readonly Thread[] _threads;
    private readonly long[] _allocatedBytes;
    private readonly object _gate = new();
    private void* _state;
    private delegate*<void*, int, void> _body;
    private int _parts;
    private int _active;
    private VectorPath _path;
    private Exception? _failure;
    private int _generation;
    private int _running;
    private int _busy;
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
            _threads[i] = new Thread(() => Loop(worker)) { IsBackground = true, Name = $"SimdDescent worker {worker}" };
            _threads[i].Start();
        }
    }

    /// <summary>Threads that run a loop's parts, the caller included.</summary>
    public int Workers { get; }

    /// <summary>Bytes allocated so far on the helper threads, as each measured after its last loop (for allocation tests).</summary>
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

    /// <summary>
    /// Runs <c>state.Run(part)</c> for every part in [0, <paramref name="parts"/>) and returns when all are
    /// done; rethrows a part's exception (the first one thrown).
    /// </summary>
    public void For<TState>(int parts, in TState state)
        where TState : struct, IParallelFor
    {
        if (parts <= 1 || _threads.Length == 0 || Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            for (var part = 0; part < parts; part++)
            {
                state.Run(part);
            }

            return;
        }

        // A copy on this frame, which outlives the loop: the helpers read it through a pointer, and a
        // caller's state inside a heap object could move under them.
        var local = state;
        try
        {
            _state = Unsafe.AsPointer(ref local);
            _body = &Invoke<TState>;
            _parts = parts;
            _active = Math.Min(parts, Workers);
            _path = SimdDispatch.Current;
            Volatile.Write(ref _running, _threads.Length);
            StartGeneration();
            try
            {
                RunParts(0);
            }
            catch (Exception exception)
            {
                Interlocked.CompareExchange(ref _failure, exception, null);
            }

            WaitUntil(ref _running, 0);
            _state = null;
            if (_failure is { } failure)
            {
                _failure = null;
                ExceptionDispatchInfo.Throw(failure);
            }
        }
        finally
        {
            Volatile.Write(ref _busy, 0);
        }
    }

    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        // Waits for a running loop: its helpers must not see the stop halfway through.
        var spinner = default(SpinWait);
        while (Interlocked.CompareExchange(ref _busy, 1, 0) != 0)
        {
            spinner.SpinOnce();
        }

        _stopping = true;
        StartGeneration();
        foreach (var thread in _threads)
        {
            thread.Join();
        }
    }

    private static void Invoke<TState>(void* state, int part)
        where TState : struct, IParallelFor =>
        Unsafe.AsRef<TState>(state).Run(part);

    private void RunParts(int worker)
    {
        for (var part = worker; part < _parts; part += _active)
        {
            _body(_state, part);
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

            // Every helper reports back, those without a part too: a helper still waking from this loop must
            // not read the next loop's parameters as this one's.
            try
            {
                // Forcing a width marks the whole process as forced, after which every kernel's dispatch reads a
                // thread-local, so the default width runs unforced.
                if (_path == SimdDispatch.Default)
                {
                    RunParts(worker);
                }
                else
                {
                    using (SimdDispatch.Force(_path))
                    {
                        RunParts(worker);
                    }
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

    /// <summary>Starts the next loop on the helpers (only the calling thread writes the generation).</summary>
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
    /// overwrite the next loop's countdown, which the caller may already have set.
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
