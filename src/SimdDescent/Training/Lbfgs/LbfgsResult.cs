namespace SimdDescent.Training.Lbfgs;

/// <summary>The outcome of an L-BFGS run.</summary>
/// <param name="Loss">f at the returned point.</param>
/// <param name="GradientMaxNorm">max |∇f| at the returned point.</param>
/// <param name="Iterations">Iterations taken.</param>
/// <param name="Evaluations">Function evaluations used.</param>
/// <param name="Termination">Why it stopped.</param>
public sealed record LbfgsResult(double Loss, double GradientMaxNorm, int Iterations, int Evaluations, LbfgsTermination Termination);
