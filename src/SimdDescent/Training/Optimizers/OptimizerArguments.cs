namespace SimdDescent.Training.Optimizers;

/// <summary>Hyperparameter checks shared by the optimizers; each message says what was expected.</summary>
internal static class OptimizerArguments
{
    public static void NonNegative(double value, string name)
    {
        if (!(value >= 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"Expected {name} to be finite and ≥ 0.");
        }
    }

    /// <summary>0 ≤ value &lt; 1, as for betas, alpha and momentum coefficients.</summary>
    public static void Fraction(double value, string name)
    {
        if (!(value >= 0 && value < 1))
        {
            throw new ArgumentOutOfRangeException(name, value, $"Expected {name} in [0, 1).");
        }
    }

    public static void Positive(double value, string name)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"Expected {name} to be finite and > 0.");
        }
    }

    public static void Arena(int length, int required, string name)
    {
        if (length < required)
        {
            throw new ArgumentException($"Expected {name} to hold at least the {required} parameters of the layout, but it has {length}.", name);
        }
    }
}
