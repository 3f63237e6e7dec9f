namespace SimdDescent.Kernels.Parallel;

/// <summary>
/// The body of a <see cref="ParallelRanges.Run{TWork}"/> loop: a struct holding what the ranges share, whose
/// <see cref="Run"/> computes one contiguous range of items.
/// </summary>
internal interface IRangeWork
{
    /// <summary>Computes items [<paramref name="first"/>, <paramref name="end"/>); <paramref name="part"/> is 0 on the calling thread.</summary>
    void Run(int first, int end, int part);
}
