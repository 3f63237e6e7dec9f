namespace SimdDescent.Training.Optimizers;

/// <summary>A contiguous run of the arena whose tensors all belong to one group: one vectorized pass each.</summary>
/// <param name="Offset">First element.</param>
/// <param name="Length">Number of elements.</param>
/// <param name="Group">Index into the layout's groups; 0 is the default group.</param>
internal readonly record struct ParameterSegment(int Offset, int Length, int Group);
