using System.Globalization;

namespace SimdDescent.Cli.Commands;

/// <summary>Range checks of numeric options; each failure says what was expected and what was given.</summary>
internal static class Expect
{
    public static void Positive(int value, string option) => InRange(value, 1, int.MaxValue, option);

    public static void InRange(int value, int minimum, int maximum, string option, string? why = null)
    {
        if (value < minimum || value > maximum)
        {
            throw new UserError(maximum == int.MaxValue
                ? Invariant($"Expected {option} > {minimum - 1}, got {value}.")
                : Invariant($"Expected {option} in [{minimum}, {maximum}]{why}, got {value}."));
        }
    }

    /// <summary>A finite value greater than zero (learning rates).</summary>
    public static void PositiveFinite(double value, string option)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            throw new UserError(Invariant($"Expected {option} > 0 and finite, got {value}."));
        }
    }

    /// <summary>A finite value of at least zero (weight decay).</summary>
    public static void NonNegativeFinite(double value, string option)
    {
        if (!double.IsFinite(value) || value < 0)
        {
            throw new UserError(Invariant($"Expected {option} ≥ 0 and finite, got {value}."));
        }
    }

    /// <summary>A value in [0, 1): momentum and decay rates of moving averages, which diverge at 1 and above.</summary>
    public static void Fraction(double value, string option)
    {
        if (!(value >= 0 && value < 1))
        {
            throw new UserError(Invariant($"Expected {option} in [0, 1), got {value}."));
        }
    }

    /// <summary>A value in (0, 1]: a decay factor of the learning rate.</summary>
    public static void DecayFactor(double value, string option)
    {
        if (!(value > 0 && value <= 1))
        {
            throw new UserError(Invariant($"Expected {option} in (0, 1], got {value}."));
        }
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
