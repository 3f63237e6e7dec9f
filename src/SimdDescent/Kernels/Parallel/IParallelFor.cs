namespace SimdDescent.Kernels.Parallel;

/// <summary>
/// The body of a <see cref="WorkerPool.For{TState}"/> loop: a struct holding what the parts share, whose
/// <see cref="Run"/> computes one part. A struct and a generic method, so starting a loop allocates nothing.
/// </summary>
internal interface IParallelFor
{
    /// <summary>Computes part <paramref name="part"/> (0 ≤ part &lt; parts); parts run concurrently, each exactly once.</summary>
    void Run(int part);
}
