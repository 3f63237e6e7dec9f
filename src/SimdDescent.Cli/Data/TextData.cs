using SimdDescent.IO.Text;

namespace SimdDescent.Cli.Data;

/// <summary>
/// The text <c>train-lm</c> learns from: a directory of fortunes-style category files (some of them with
/// --categories, fewer with --exclude) or one text file, split by offset into training and validation text
/// as benchmarks/peers/pytorch_gpt.py splits it.
/// </summary>
internal static class TextData
{
    public static TextCorpus Load(string data, IReadOnlyList<string> categories, IReadOnlyList<string> exclude)
    {
        if (File.Exists(data))
        {
            if (categories.Count > 0 || exclude.Count > 0)
            {
                throw new UserError($"--categories and --exclude choose files of a directory, but --data '{data}' is a file.");
            }

            return TextCorpus.Load([data]);
        }

        if (!Directory.Exists(data))
        {
            throw new UserError($"--data '{data}' is neither a text file nor a directory of category files.");
        }

        var available = FortunesCorpus.Categories(data);
        var unknown = exclude.Except(available, StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new UserError($"--exclude names unknown categories {string.Join(", ", unknown.Select(c => $"'{c}'"))}; '{data}' holds: {string.Join(", ", available)}.");
        }

        var chosen = (categories.Count > 0 ? categories : available).Except(exclude, StringComparer.Ordinal).ToList();
        if (chosen.Count == 0)
        {
            throw new UserError($"No category of '{data}' is left to train on after --categories and --exclude.");
        }

        return FortunesCorpus.Load(data, chosen);
    }

    /// <summary>The comma-separated names of an option, without empty entries.</summary>
    public static IReadOnlyList<string> Names(string? list) =>
        list is null ? [] : list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
