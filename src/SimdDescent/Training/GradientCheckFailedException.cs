namespace SimdDescent.Training;

/// <summary>
/// A numerical gradient check failed: thrown by the trainer when its <see cref="IGradientCheck{T}"/> fails, and by
/// a checker's report on request. One type for both, at the training layer, because the trainer throws it and
/// training must not depend on the checking layer above it.
/// </summary>
public sealed class GradientCheckFailedException : Exception
{
    /// <summary>Creates the exception for a check before step <paramref name="step"/> with the checker's <paramref name="report"/>.</summary>
    public GradientCheckFailedException(long step, string report)
        : base($"The gradient check before step {step} failed:{Environment.NewLine}{report}")
    {
        Step = step;
        Report = report;
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public GradientCheckFailedException()
        : this("The gradient check failed.")
    {
    }

    /// <summary>Creates the exception for a check outside training; <paramref name="report"/> is the message.</summary>
    public GradientCheckFailedException(string report)
        : base(report)
    {
        Report = report;
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public GradientCheckFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Report = message;
    }

    /// <summary>The 1-based step the check ran before; 0 for a check outside training.</summary>
    public long Step { get; }

    /// <summary>The checker's report.</summary>
    public string Report { get; }
}
