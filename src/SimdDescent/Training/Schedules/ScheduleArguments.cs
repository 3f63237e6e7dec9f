namespace SimdDescent.Training.Schedules;

/// <summary>Checks shared by the schedules; each message says what was expected.</summary>
internal static class ScheduleArguments
{
    public static void Factor(double value, string name)
    {
        if (!(value > 0 && value <= 1))
        {
            throw new ArgumentOutOfRangeException(name, value, $"Expected {name} in (0, 1].");
        }
    }

    public static void Positive(int value, string name)
    {
        if (value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, $"Expected {name} > 0.");
        }
    }

    public static void NonNegative(double value, string name)
    {
        if (!(value >= 0) || double.IsInfinity(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"Expected {name} to be finite and ≥ 0.");
        }
    }
}
