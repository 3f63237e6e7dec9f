namespace SimdDescent.Training;

/// <summary>The verdict of a gradient check and its human-readable report.</summary>
/// <param name="Passed">Whether every tensor was within tolerance.</param>
/// <param name="Report">The checker's report (per tensor errors, worst index, tolerances).</param>
public readonly record struct GradientCheckOutcome(bool Passed, string Report);
