namespace SimdDescent.Kernels;

/// <summary>
/// Choices made once per product, before it is split over threads, so every part computes its
/// elements the same way: the width, whether A is packed, whether the m = 1 row kernel runs (m = 1 and
/// B not transposed), and whether tiles are one register wide (all n columns fit in one register).
/// </summary>
internal readonly record struct GemmPlan(VectorPath Path, bool PackA, bool RowVector, bool OneRegister);
