namespace SimdDescent.Training.Parallel;

/// <summary>Work the <see cref="WorkerPool"/> runs on every worker at once; each worker picks its part by index.</summary>
internal interface IParallelJob
{
    /// <summary>Runs worker <paramref name="worker"/>'s part of the job (0 ≤ worker &lt; workers).</summary>
    void Execute(int worker, int workers);
}
