namespace SimdDescent.Training.Lbfgs;

/// <summary>Why <see cref="Lbfgs{T}.Minimize"/> stopped.</summary>
public enum LbfgsTermination
{
    /// <summary>The largest gradient element fell below the gradient tolerance: a minimum.</summary>
    GradientTolerance,

    /// <summary>The loss, the step or the directional derivative changed less than the change tolerance.</summary>
    ChangeTolerance,

    /// <summary>The iteration budget ran out.</summary>
    MaxIterations,

    /// <summary>The function-evaluation budget ran out.</summary>
    MaxEvaluations,
}
