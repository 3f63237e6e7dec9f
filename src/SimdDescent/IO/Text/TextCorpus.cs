namespace SimdDescent.IO.Text;

/// <summary>
/// A training text and a held-out validation text cut from the same files by offset: for each file in turn,
/// its first ⌊<c>fraction</c> × length⌋ bytes go to training and the rest to validation; the training text
/// is the concatenation of the training parts in file order, the validation text likewise. The texts are
/// token texts as they stand (<see cref="ByteTokenizer"/>): one token per byte.
/// </summary>
/// <remarks>
/// Splitting every file rather than holding out whole files keeps each category of a corpus in both texts.
/// Memory is bounded by what the files really hold: each is read whole (a gzip file is decompressed as it
/// arrives) and then copied into the two texts, so the peak is about twice the corpus.
/// </remarks>
public sealed class TextCorpus
{
    /// <summary>The share of every file that goes to training unless a loader is told otherwise.</summary>
    public const double DefaultTrainingFraction = 0.9;

    private TextCorpus(byte[] training, byte[] validation, IReadOnlyList<TextSource> sources) =>
        (Training, Validation, Sources) = (training, validation, sources);

    /// <summary>The training parts of the files, concatenated in file order.</summary>
    public ReadOnlyMemory<byte> Training { get; }

    /// <summary>The validation parts of the files, concatenated in file order.</summary>
    public ReadOnlyMemory<byte> Validation { get; }

    /// <summary>The files in the order they were concatenated, with their split.</summary>
    public IReadOnlyList<TextSource> Sources { get; }

    /// <summary>
    /// How many bytes of a file of <paramref name="length"/> bytes go to training: ⌊<paramref name="trainingFraction"/> ×
    /// <paramref name="length"/>⌋, the product taken in double precision (Python: <c>int(fraction * length)</c>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="trainingFraction"/> is not in (0, 1], or <paramref name="length"/> is negative.</exception>
    public static int TrainingLength(int length, double trainingFraction)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        RequireFraction(trainingFraction);
        return (int)Math.Floor(trainingFraction * length);
    }

    /// <summary>Loads text files (raw or gzip) in the order given and splits each by offset.</summary>
    /// <param name="paths">The files, at least one; their order is the order of concatenation.</param>
    /// <param name="trainingFraction">The share of every file that goes to training, in (0, 1].</param>
    /// <exception cref="ArgumentException">No path is given, or <paramref name="trainingFraction"/> is not in (0, 1].</exception>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="InvalidDataException">The files hold more than one array can, or a gzip file is corrupt.</exception>
    public static TextCorpus Load(IEnumerable<string> paths, double trainingFraction = DefaultTrainingFraction)
    {
        ArgumentNullException.ThrowIfNull(paths);
        RequireFraction(trainingFraction);
        var sources = new List<TextSource>();
        var contents = new List<byte[]>();
        long trainingTotal = 0, validationTotal = 0;
        foreach (var path in paths)
        {
            var bytes = ReadFile(path);
            var source = new TextSource(path, bytes.Length, TrainingLength(bytes.Length, trainingFraction));
            trainingTotal += source.TrainingLength;
            validationTotal += source.ValidationLength;
            if (trainingTotal + validationTotal > Array.MaxLength)
            {
                throw new InvalidDataException($"The text files up to '{path}' hold {trainingTotal + validationTotal} bytes; one text holds at most {Array.MaxLength}.");
            }

            sources.Add(source);
            contents.Add(bytes);
        }

        if (sources.Count == 0)
        {
            throw new ArgumentException("Expected at least one text file.", nameof(paths));
        }

        var training = GC.AllocateUninitializedArray<byte>((int)trainingTotal);
        var validation = GC.AllocateUninitializedArray<byte>((int)validationTotal);
        int trainingAt = 0, validationAt = 0;
        for (var i = 0; i < sources.Count; i++)
        {
            var split = sources[i].TrainingLength;
            contents[i].AsSpan(0, split).CopyTo(training.AsSpan(trainingAt));
            contents[i].AsSpan(split).CopyTo(validation.AsSpan(validationAt));
            trainingAt += split;
            validationAt += sources[i].ValidationLength;
        }

        return new TextCorpus(training, validation, sources);
    }

    private static void RequireFraction(double trainingFraction)
    {
        if (!(trainingFraction > 0 && trainingFraction <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(trainingFraction), trainingFraction, "The training fraction must lie in (0, 1].");
        }
    }

    private static byte[] ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"The text file '{path}' does not exist.", path);
        }

        using var file = DataFile.Open(path);
        return file.ReadAllBytes();
    }
}
