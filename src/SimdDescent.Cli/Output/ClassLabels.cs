using System.Globalization;

namespace SimdDescent.Cli.Output;

/// <summary>How a class is shown: its index, followed by its name when the data set has one (digits are their own names).</summary>
internal static class ClassLabels
{
    public static string Label(int index, IReadOnlyList<string> names)
    {
        var number = index.ToString(CultureInfo.InvariantCulture);
        return index < names.Count && names[index] != number ? $"{number} {names[index]}" : number;
    }

    /// <summary>Whether any class has a name besides its index.</summary>
    public static bool AnyNamed(IReadOnlyList<string> names) => names.Where((name, index) => name != index.ToString(CultureInfo.InvariantCulture)).Any();
}
