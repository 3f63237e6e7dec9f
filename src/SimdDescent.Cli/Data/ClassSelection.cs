using System.Globalization;
using SimdDescent.Training.Data;

namespace SimdDescent.Cli.Data;

/// <summary>
/// The classes of <c>--classes</c> ("0-7", "8,9", "0-3,5"): distinct, ascending, each in [0, class count). Selecting
/// keeps the rows of those classes and numbers their labels 0 … k − 1 in that order, so a network with k outputs
/// trains on them.
/// </summary>
internal sealed class ClassSelection
{
    public const string Help = "Classes to keep, e.g. 0-7 or 8,9 (ranges and commas); their labels become 0 … k−1 in ascending order.";

    private ClassSelection(IReadOnlyList<int> classes) => Classes = classes;

    public IReadOnlyList<int> Classes { get; }

    /// <summary>The selected classes, comma-separated: what weights files record and <c>--classes</c> reads back.</summary>
    public string Text => string.Join(",", Classes.Select(c => c.ToString(CultureInfo.InvariantCulture)));

    /// <summary>Parses the option's text against the data set's class count; null text selects nothing (all classes).</summary>
    public static ClassSelection? Parse(string? text, int classCount)
    {
        if (text is null)
        {
            return null;
        }

        var classes = new SortedSet<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            var bounds = part.Split('-', StringSplitOptions.TrimEntries);
            if (part.Length == 0 || bounds.Length > 2 || !bounds.All(b => int.TryParse(b, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
            {
                throw new UserError($"--classes '{text}': expected class numbers and ranges such as 0-7 or 8,9; '{part}' is neither.");
            }

            var first = int.Parse(bounds[0], CultureInfo.InvariantCulture);
            var last = int.Parse(bounds[^1], CultureInfo.InvariantCulture);
            if (first > last)
            {
                throw new UserError($"--classes '{text}': the range '{part}' is empty; write it from low to high.");
            }

            if (last >= classCount)
            {
                throw new UserError($"--classes '{text}': class {last} is out of range; the data set has classes 0-{classCount - 1}.");
            }

            classes.UnionWith(Enumerable.Range(first, last - first + 1));
        }

        if (classes.Count < 2)
        {
            throw new UserError($"--classes '{text}' selects {classes.Count} class; a classifier needs at least 2.");
        }

        return new ClassSelection([.. classes]);
    }

    /// <summary>The rows of the selected classes, labels renumbered 0 … k − 1.</summary>
    public DataSet<float> Select(DataSet<float> data)
    {
        var newLabel = new int[Classes.Max() + 1];
        Array.Fill(newLabel, -1);
        for (var i = 0; i < Classes.Count; i++)
        {
            newLabel[Classes[i]] = i;
        }

        var rows = new List<int>();
        for (var row = 0; row < data.Count; row++)
        {
            var label = data.Labels[row];
            if (label < newLabel.Length && newLabel[label] >= 0)
            {
                rows.Add(row);
            }
        }

        if (rows.Count == 0)
        {
            throw new UserError($"--classes {Text} selects no rows of the data.");
        }

        var inputs = new float[rows.Count * data.InputWidth];
        var labels = new int[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            data.InputRows(rows[i], 1).CopyTo(inputs.AsSpan(i * data.InputWidth, data.InputWidth));
            labels[i] = newLabel[data.Labels[rows[i]]];
        }

        return DataSet<float>.WithLabels(inputs, labels, data.InputWidth);
    }
}
