namespace SimdDescent.IO.Text;

/// <summary>One file of a <see cref="TextCorpus"/> and how it was split.</summary>
/// <param name="Path">The file, as given to the loader.</param>
/// <param name="Length">Its (decompressed) length in bytes.</param>
/// <param name="TrainingLength">How many of its first bytes went to the training text; the rest went to validation.</param>
public sealed record TextSource(string Path, int Length, int TrainingLength)
{
    /// <summary>The file's name without its folder: a fortunes category, for instance.</summary>
    public string Name => System.IO.Path.GetFileName(Path);

    /// <summary>How many of its last bytes went to the validation text.</summary>
    public int ValidationLength => Length - TrainingLength;
}
