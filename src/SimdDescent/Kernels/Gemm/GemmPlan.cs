namespace SimdDescent.Kernels;

/// <summary>
/// Choices made once per product, before it is split over threads, so every part computes its
/// elements the same way: the width, whether A is packed, and whether the m = 1 row kernel runs.
/// </summary>
internal readonly record struct GemmPlan(VectorPath Path, bool PackA, bool RowVector);
