namespace SimdDescent.Training.Checking;

/// <summary>The trainer's gradient check failed; the message is the checker's report.</summary>
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
        : this(0, "no report")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public GradientCheckFailedException(string message)
        : base(message)
    {
        Report = message;
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public GradientCheckFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Report = message;
    }

    /// <summary>The 1-based step the check ran before.</summary>
    public long Step { get; }

    /// <summary>The checker's report.</summary>
    public string Report { get; }
}
