using System.Numerics;
using SimdDescent.Kernels;

namespace SimdDescent.Training.Lbfgs;

/// <summary>
/// A line search along d for a step t meeting the strong Wolfe conditions
/// f(x + td) ≤ f(x) + c₁t∇f·d and |∇f(x + td)·d| ≤ c₂|∇f·d| (Nocedal &amp; Wright, algorithms 3.5 and
/// 3.6): first grow the step until a bracket holds a minimizer, then shrink the bracket by safeguarded
/// cubic interpolation. The same constants as PyTorch's <c>strong_wolfe</c> (c₁ = 1e-4, c₂ = 0.9, at
/// most 25 evaluations). Buffers are allocated once.
/// </summary>
internal sealed class StrongWolfeLineSearch<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private const double SufficientDecrease = 1e-4;
    private const double Curvature = 0.9;
    private const int MaxEvaluations = 25;

    private readonly T[] _trial;
    private readonly T[] _gradient;
    private readonly T[] _previousGradient;
    private readonly T[][] _bracketGradient;
    private readonly double[] _bracketStep = new double[2];
    private readonly double[] _bracketLoss = new double[2];
    private readonly double[] _bracketSlope = new double[2];

    public StrongWolfeLineSearch(int length)
    {
        _trial = new T[length];
        _gradient = new T[length];
        _previousGradient = new T[length];
        _bracketGradient = [new T[length], new T[length]];
    }

    /// <summary>
    /// Searches from <paramref name="x"/> (loss <paramref name="loss"/>, gradient <paramref name="gradient"/>,
    /// slope <paramref name="slope"/> = ∇f·d &lt; 0) starting at step <paramref name="step"/>. Writes the
    /// gradient at the chosen point into <paramref name="gradientAtStep"/> (which may be <paramref name="gradient"/>).
    /// </summary>
    public (double Loss, double Step, int Evaluations) Search(
        IObjective<T> objective, ReadOnlySpan<T> x, ReadOnlySpan<T> d, double step, double loss, ReadOnlySpan<T> gradient, double slope,
        double changeTolerance, Span<T> gradientAtStep)
    {
        var directionSize = double.CreateTruncating(Reductions.MaxMagnitude<T>(d));
        var newLoss = Evaluate(objective, x, d, step);
        var newSlope = Slope(d);
        var evaluations = 1;
        double previousStep = 0, previousLoss = loss, previousSlope = slope;
        gradient.CopyTo(_previousGradient);
        var done = false;
        var bracketed = false;

        // Bracketing: grow the step until the interval [previous, step] must hold a Wolfe point.
        while (evaluations < MaxEvaluations)
        {
            if (newLoss > loss + (SufficientDecrease * step * slope) || (evaluations > 2 && newLoss >= previousLoss) || newSlope >= 0)
            {
                SetBracket(0, previousStep, previousLoss, previousSlope, _previousGradient);
                SetBracket(1, step, newLoss, newSlope, _gradient);
                bracketed = true;
                break;
            }

            if (Math.Abs(newSlope) <= -Curvature * slope)
            {
                SetBracket(0, step, newLoss, newSlope, _gradient);
                SetBracket(1, step, newLoss, newSlope, _gradient);
                bracketed = done = true;
                break;
            }

            var next = CubicMinimizer(previousStep, previousLoss, previousSlope, step, newLoss, newSlope, step + (0.01 * (step - previousStep)), step * 10);
            (previousStep, previousLoss, previousSlope) = (step, newLoss, newSlope);
            _gradient.CopyTo(_previousGradient, 0);
            step = next;
            newLoss = Evaluate(objective, x, d, step);
            newSlope = Slope(d);
            evaluations++;
        }

        if (!bracketed)
        {
            SetBracket(0, 0, loss, slope, gradient);
            SetBracket(1, step, newLoss, newSlope, _gradient);
        }

        // Zoom: shrink the bracket around the Wolfe point, keeping 'low' at the lower loss.
        var insufficientProgress = false;
        var (low, high) = Ordered();
        while (!done && evaluations < MaxEvaluations)
        {
            if (Math.Abs(_bracketStep[1] - _bracketStep[0]) * directionSize < changeTolerance)
            {
                break;
            }

            var lower = Math.Min(_bracketStep[0], _bracketStep[1]);
            var upper = Math.Max(_bracketStep[0], _bracketStep[1]);
            step = CubicMinimizer(_bracketStep[0], _bracketLoss[0], _bracketSlope[0], _bracketStep[1], _bracketLoss[1], _bracketSlope[1], lower, upper);
            (step, insufficientProgress) = Safeguard(step, lower, upper, insufficientProgress);
            newLoss = Evaluate(objective, x, d, step);
            newSlope = Slope(d);
            evaluations++;
            if (newLoss > loss + (SufficientDecrease * step * slope) || newLoss >= _bracketLoss[low])
            {
                SetBracket(high, step, newLoss, newSlope, _gradient);
                (low, high) = Ordered();
                continue;
            }

            if (Math.Abs(newSlope) <= -Curvature * slope)
            {
                done = true;
            }
            else if (newSlope * (_bracketStep[high] - _bracketStep[low]) >= 0)
            {
                SetBracket(high, _bracketStep[low], _bracketLoss[low], _bracketSlope[low], _bracketGradient[low]);
            }

            SetBracket(low, step, newLoss, newSlope, _gradient);
        }

        _bracketGradient[low].CopyTo(gradientAtStep);
        return (_bracketLoss[low], _bracketStep[low], evaluations);
    }

    /// <summary>
    /// The minimizer of the cubic through (t₁, f₁) and (t₂, f₂) with slopes g₁ and g₂, limited to
    /// [lower, upper]; the middle of the bounds when the cubic has no minimizer.
    /// </summary>
    internal static double CubicMinimizer(double t1, double f1, double g1, double t2, double f2, double g2, double lower, double upper)
    {
        var d1 = g1 + g2 - (3 * (f1 - f2) / (t1 - t2));
        var discriminant = (d1 * d1) - (g1 * g2);
        if (!(discriminant >= 0))
        {
            return (lower + upper) / 2;
        }

        var d2 = Math.Sqrt(discriminant);
        var minimizer = t1 <= t2
            ? t2 - ((t2 - t1) * ((g2 + d2 - d1) / (g2 - g1 + (2 * d2))))
            : t1 - ((t1 - t2) * ((g1 + d2 - d1) / (g1 - g2 + (2 * d2))));
        return double.IsNaN(minimizer) ? (lower + upper) / 2 : Math.Clamp(minimizer, lower, upper);
    }

    /// <summary>Keeps a trial step away from the bracket's ends, unless the last step already made progress there.</summary>
    private static (double Step, bool InsufficientProgress) Safeguard(double step, double lower, double upper, bool insufficientProgress)
    {
        var margin = 0.1 * (upper - lower);
        if (Math.Min(upper - step, step - lower) >= margin)
        {
            return (step, false);
        }

        if (!insufficientProgress && step < upper && step > lower)
        {
            return (step, true);
        }

        return (Math.Abs(step - upper) < Math.Abs(step - lower) ? upper - margin : lower + margin, false);
    }

    private (int Low, int High) Ordered() => _bracketLoss[0] <= _bracketLoss[1] ? (0, 1) : (1, 0);

    private void SetBracket(int end, double step, double loss, double slope, ReadOnlySpan<T> gradient)
    {
        _bracketStep[end] = step;
        _bracketLoss[end] = loss;
        _bracketSlope[end] = slope;
        gradient.CopyTo(_bracketGradient[end]);
    }

    private double Evaluate(IObjective<T> objective, ReadOnlySpan<T> x, ReadOnlySpan<T> d, double step)
    {
        x.CopyTo(_trial);
        Blas.Axpy(T.CreateTruncating(step), d, _trial);
        return objective.Evaluate(_trial, _gradient);
    }

    private double Slope(ReadOnlySpan<T> d) => double.CreateTruncating(Blas.Dot<T>(_gradient, d));
}
