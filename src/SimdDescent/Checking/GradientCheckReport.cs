using System.Globalization;
using System.Text;
using SimdDescent.Training;

namespace SimdDescent.Checking;

/// <summary>The outcome of <see cref="GradientChecker"/>: one line per tensor and the determinism check.</summary>
/// <param name="Options">The settings used (tolerances are part of the result).</param>
/// <param name="Tensors">Per tensor, in arena order, then the inputs when checked.</param>
/// <param name="BackwardIsDeterministic">Whether two backward passes on the same input gave bitwise-identical gradients.</param>
public sealed record GradientCheckReport(GradientCheckOptions Options, IReadOnlyList<TensorCheck> Tensors, bool BackwardIsDeterministic)
{
    /// <summary>Every tensor within tolerance and the backward pass deterministic.</summary>
    public bool Passed => BackwardIsDeterministic && Tensors.All(t => t.Passed);

    /// <summary>Comparisons left undecided because a kink lay within ε (see <see cref="TensorCheck.Inconclusive"/>).</summary>
    public int Inconclusive => Tensors.Sum(t => t.Inconclusive);

    /// <summary>Throws <see cref="GradientCheckFailedException"/> with <see cref="ToString"/> as the message unless <see cref="Passed"/>.</summary>
    public void ThrowIfFailed()
    {
        if (!Passed)
        {
            throw new GradientCheckFailedException(ToString());
        }
    }

    /// <summary>A table of every tensor's errors, failures marked, with the tolerances used.</summary>
    public override string ToString()
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.Append(c, $"Gradient check {(Passed ? "passed" : "FAILED")} (ε = {Options.Epsilon:G3}, pass if abs ≤ {Options.AbsoluteTolerance:G3} or rel ≤ {Options.RelativeTolerance:G3}; {Inconclusive} comparison(s) inconclusive: a kink within ε)").AppendLine();
        foreach (var t in Tensors)
        {
            text.Append(c, $"  {(t.Passed ? "ok  " : "FAIL")} {t.Name,-16} {t.Mode,-16} n={t.Comparisons,-5} max abs {t.MaxAbsoluteError:E2}  max rel {t.MaxRelativeError:E2}  worst [{t.WorstIndex}]: backward {t.WorstAnalytic:G6} vs numeric {t.WorstNumeric:G6}{(t.Inconclusive > 0 ? $"  inconclusive {t.Inconclusive}" : string.Empty)}").AppendLine();
        }

        if (!BackwardIsDeterministic)
        {
            text.AppendLine("  FAIL two backward passes on the same input gave different gradients (bitwise).");
        }

        return text.ToString();
    }
}
