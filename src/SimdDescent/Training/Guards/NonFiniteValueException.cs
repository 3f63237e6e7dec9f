namespace SimdDescent.Training.Guards;

/// <summary>
/// A loss or gradient was NaN or infinite. Thrown before the optimizer runs, so the parameters hold
/// the last finite values.
/// </summary>
public sealed class NonFiniteValueException : Exception
{
    /// <summary>Creates the exception for <paramref name="source"/> (a tensor name, or <c>loss</c>) at <paramref name="step"/>.</summary>
    public NonFiniteValueException(long step, string source, string message)
        : base(message)
    {
        Step = step;
        Origin = source;
    }

    /// <summary>Creates the exception with a generic message.</summary>
    public NonFiniteValueException()
        : this(0, string.Empty, "A loss or gradient was not finite.")
    {
    }

    /// <summary>Creates the exception with a message only.</summary>
    public NonFiniteValueException(string message)
        : this(0, string.Empty, message)
    {
    }

    /// <summary>Creates the exception with a message and a cause.</summary>
    public NonFiniteValueException(string message, Exception innerException)
        : base(message, innerException)
    {
        Origin = string.Empty;
    }

    /// <summary>The 1-based optimizer step whose loss or gradient was not finite.</summary>
    public long Step { get; }

    /// <summary><c>loss</c>, or the name of the first tensor whose gradient holds a NaN or ∞.</summary>
    public string Origin { get; }
}
