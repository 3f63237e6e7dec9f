namespace SimdDescent.Training;

/// <summary>Range checks for optimizer and schedule settings; each message names the setting and the range expected.</summary>
internal static class Hyperparameter
{
    /// <summary>Finite and ≥ 0 (learning rates, weight decay, momentum).</summary>
    public static void NonNegative(double value, string name)
    {
        if (!(value >= 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"Expected {name} to be finite and ≥ 0.");
        }
    }

    /// <summary>Finite and &gt; 0 (epsilons).</summary>
    public static void Positive(double value, string name)
    {
        if (!(value > 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"Expected {name} to be finite and > 0.");
        }
    }

    /// <summary>&gt; 0 (step counts).</summary>
    public static void Positive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"Expected {name} > 0.");
        }
    }

    /// <summary>In [0, 1): a decay rate such as a beta or alpha.</summary>
    public static void DecayRate(double value, string name)
    {
        if (!(value >= 0 && value < 1))
        {
            throw new ArgumentOutOfRangeException(name, value, $"Expected {name} in [0, 1).");
        }
    }

    /// <summary>In (0, 1]: a multiplicative factor that never grows the rate.</summary>
    public static void Factor(double value, string name)
    {
        if (!(value > 0 && value <= 1))
        {
            throw new ArgumentOutOfRangeException(name, value, $"Expected {name} in (0, 1].");
        }
    }

    /// <summary>A span long enough for the layout's arena.</summary>
    public static void Arena(int length, int required, string name)
    {
        if (length < required)
        {
            throw new ArgumentException($"Expected {name} to hold at least the {required} parameters of the layout, but it has {length}.", name);
        }
    }
}
