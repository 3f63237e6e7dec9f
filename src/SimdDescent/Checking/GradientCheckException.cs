namespace SimdDescent.Checking;

/// <summary>A gradient check failed; the message is the report.</summary>
public sealed class GradientCheckException : Exception
{
    /// <summary>Creates the exception with the report text.</summary>
    public GradientCheckException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an empty exception.</summary>
    public GradientCheckException()
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public GradientCheckException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
