using System.Numerics;

namespace SimdDescent.Training.Lbfgs;

/// <summary>A differentiable function of a flat parameter vector, for full-batch minimizers such as <see cref="Lbfgs{T}"/>.</summary>
public interface IObjective<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>Returns f(<paramref name="x"/>) and writes ∇f(<paramref name="x"/>) into <paramref name="gradient"/>.</summary>
    double Evaluate(ReadOnlySpan<T> x, Span<T> gradient);
}
