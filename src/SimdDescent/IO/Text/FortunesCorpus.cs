namespace SimdDescent.IO.Text;

/// <summary>
/// The fortune-cookie texts of Debian's <c>fortunes</c> package (about 2.4 MB of English in categories, one
/// file per category, the sayings separated by lines holding a single <c>%</c>) as a <see cref="TextCorpus"/>.
/// </summary>
/// <remarks>
/// A category is a regular file of the directory; the <c>strfile</c> indexes (<c>*.dat</c>) and the UTF-8
/// aliases (<c>*.u8</c>, symbolic links to the category files) are not categories, and neither is any other
/// link. Categories are always taken in ordinal name order, whatever order they are chosen in, so a choice
/// names one corpus and one split.
/// </remarks>
public static class FortunesCorpus
{
    /// <summary>Where Debian's fortunes package installs the category files.</summary>
    public const string DefaultDirectory = "/usr/share/games/fortunes";

    /// <summary>Whether <paramref name="directory"/> exists and holds at least one category.</summary>
    public static bool IsAvailable(string directory = DefaultDirectory) =>
        Directory.Exists(directory) && CategoryFiles(directory).Any();

    /// <summary>The category names of <paramref name="directory"/> in ordinal order.</summary>
    /// <exception cref="DirectoryNotFoundException"><paramref name="directory"/> does not exist.</exception>
    public static IReadOnlyList<string> Categories(string directory = DefaultDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"The fortunes directory '{directory}' does not exist (on Debian: apt-get install fortunes).");
        }

        return [.. CategoryFiles(directory).Select(file => file.Name).Order(StringComparer.Ordinal)];
    }

    /// <summary>
    /// Loads the chosen categories (all when <paramref name="categories"/> is null or empty) and splits every
    /// category file by offset, as <see cref="TextCorpus.Load"/> describes, in ordinal name order.
    /// </summary>
    /// <exception cref="ArgumentException">A category is not in the directory (the message lists those that are), or <paramref name="trainingFraction"/> is not in (0, 1].</exception>
    /// <exception cref="DirectoryNotFoundException"><paramref name="directory"/> does not exist.</exception>
    /// <exception cref="FileNotFoundException"><paramref name="directory"/> holds no category.</exception>
    public static TextCorpus Load(
        string directory = DefaultDirectory, IEnumerable<string>? categories = null, double trainingFraction = TextCorpus.DefaultTrainingFraction)
    {
        var available = Categories(directory);
        if (available.Count == 0)
        {
            throw new FileNotFoundException($"The fortunes directory '{directory}' holds no category files.", directory);
        }

        var chosen = categories?.ToHashSet(StringComparer.Ordinal) ?? [];
        var unknown = chosen.Except(available, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            throw new ArgumentException(
                $"Unknown fortunes {(unknown.Count == 1 ? "category" : "categories")} {string.Join(", ", unknown.Select(c => $"'{c}'"))}; '{directory}' holds: {string.Join(", ", available)}.",
                nameof(categories));
        }

        var names = chosen.Count == 0 ? available : available.Where(chosen.Contains);
        return TextCorpus.Load(names.Select(name => Path.Combine(directory, name)), trainingFraction);
    }

    private static IEnumerable<FileInfo> CategoryFiles(string directory) =>
        new DirectoryInfo(directory).EnumerateFiles().Where(file =>
            (file.Attributes & FileAttributes.ReparsePoint) == 0
            && !file.Name.EndsWith(".dat", StringComparison.Ordinal)
            && !file.Name.EndsWith(".u8", StringComparison.Ordinal));
}
