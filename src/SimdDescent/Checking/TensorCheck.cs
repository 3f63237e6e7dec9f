namespace SimdDescent.Checking;

/// <summary>How a tensor was compared.</summary>
public enum CheckMode
{
    /// <summary>Every element perturbed on its own.</summary>
    PerElement,

    /// <summary>Random directions: ∇L·u against the directional central difference.</summary>
    RandomDirections,
}

/// <summary>The result for one tensor (or the inputs).</summary>
/// <param name="Name">Tensor name, or <c>inputs</c>.</param>
/// <param name="Mode">How it was compared.</param>
/// <param name="Comparisons">Elements or directions compared.</param>
/// <param name="MaxAbsoluteError">Largest |analytic − numeric|.</param>
/// <param name="MaxRelativeError">Largest |analytic − numeric| / max(|analytic|, |numeric|).</param>
/// <param name="WorstIndex">Element (or direction) that exceeded the tolerances the most.</param>
/// <param name="WorstAnalytic">Backward's value there.</param>
/// <param name="WorstNumeric">The central difference there.</param>
/// <param name="Passed">Whether every conclusive comparison was within tolerance.</param>
/// <param name="Inconclusive">
/// Comparisons that broke the tolerances by no more than the loss's slope varies within the step (kinks inside it,
/// see <see cref="GradientChecker"/>); left out of the errors above and of <paramref name="Passed"/>.
/// </param>
public sealed record TensorCheck(
    string Name,
    CheckMode Mode,
    int Comparisons,
    double MaxAbsoluteError,
    double MaxRelativeError,
    int WorstIndex,
    double WorstAnalytic,
    double WorstNumeric,
    bool Passed,
    int Inconclusive);
