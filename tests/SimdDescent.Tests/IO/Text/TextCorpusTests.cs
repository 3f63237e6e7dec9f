using SimdDescent.IO.Text;

namespace SimdDescent.Tests.IO.Text;

public sealed class TextCorpusTests
{
    /// <summary>Files whose bytes say which file and offset they come from, so a misplaced byte shows.</summary>
    private static byte[] Content(int file, int length) =>
        [.. Enumerable.Range(0, length).Select(i => (byte)((file * 64) + (i % 61)))];

    /// <summary>The split computed the slow way: per file, the first n·numerator/denominator bytes (integer arithmetic) train.</summary>
    private static (byte[] Training, byte[] Validation) Expected(IEnumerable<byte[]> files, int numerator, int denominator)
    {
        var training = new List<byte>();
        var validation = new List<byte>();
        foreach (var bytes in files)
        {
            var cut = bytes.Length * numerator / denominator;
            training.AddRange(bytes[..cut]);
            validation.AddRange(bytes[cut..]);
        }

        return ([.. training], [.. validation]);
    }

    [Fact]
    public void The_shipped_text_splits_at_nine_tenths_of_its_length()
    {
        var bytes = ShippedText.Bytes();

        var corpus = TextCorpus.Load([ShippedText.Path]);

        var cut = bytes.Length * 9 / 10;
        Assert.Equal(bytes[..cut], corpus.Training.ToArray());
        Assert.Equal(bytes[cut..], corpus.Validation.ToArray());
        var source = Assert.Single(corpus.Sources);
        Assert.Equal((ShippedText.FileName, bytes.Length, cut, bytes.Length - cut), (source.Name, source.Length, source.TrainingLength, source.ValidationLength));
    }

    [Theory]
    [InlineData(9, 10)]
    [InlineData(1, 2)]
    [InlineData(3, 4)]
    [InlineData(1, 1)]
    public void Every_file_is_split_by_offset_and_the_parts_are_concatenated_in_the_order_given(int numerator, int denominator)
    {
        using var directory = new TemporaryDirectory();
        int[] lengths = [37, 0, 1, 10, 19, 100, 9];
        var files = lengths.Select((length, file) => Content(file, length)).ToArray();
        // Alternate raw and gzip files: the split is by decompressed offset either way.
        var paths = files.Select((bytes, i) => directory.Write($"f{lengths.Length - i}", bytes, compressed: i % 2 == 1)).ToArray();

        var corpus = TextCorpus.Load(paths, (double)numerator / denominator);

        var (training, validation) = Expected(files, numerator, denominator);
        Assert.Equal(training, corpus.Training.ToArray());
        Assert.Equal(validation, corpus.Validation.ToArray());
        Assert.Equal(paths, corpus.Sources.Select(s => s.Path));
        Assert.Equal(lengths, corpus.Sources.Select(s => s.Length));
        Assert.Equal(lengths.Select(n => n * numerator / denominator), corpus.Sources.Select(s => s.TrainingLength));
    }

    [Fact]
    public void The_training_length_is_the_floor_of_the_fraction_of_the_length()
    {
        for (var n = 0; n <= 100_000; n++)
        {
            Assert.Equal(n * 9 / 10, TextCorpus.TrainingLength(n, 0.9));
            Assert.Equal(n * 3 / 4, TextCorpus.TrainingLength(n, 0.75));
            Assert.Equal(n, TextCorpus.TrainingLength(n, 1));
        }

        // The product is taken in double, as Python's int(0.7 * 90) takes it: 0.7 is stored a little below
        // 7/10, so 90 bytes give 62 to training, not 63.
        Assert.Equal(62, TextCorpus.TrainingLength(90, 0.7));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-0.5)]
    [InlineData(1.000001)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_fraction_outside_zero_to_one_is_rejected(double fraction)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => TextCorpus.Load([ShippedText.Path], fraction));

        Assert.Equal("trainingFraction", error.ParamName);
        Assert.Contains("(0, 1]", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => TextCorpus.TrainingLength(10, fraction));
    }

    [Fact]
    public void A_missing_file_is_reported_with_its_path_even_in_a_missing_folder()
    {
        using var directory = new TemporaryDirectory();
        var present = directory.Write("present", [1, 2, 3]);
        var missing = directory.File("missing");
        var inMissingFolder = Path.Combine(directory.Path, "no-such-folder", "text");

        foreach (var path in new[] { missing, inMissingFolder })
        {
            var error = Assert.Throws<FileNotFoundException>(() => TextCorpus.Load([present, path]));
            Assert.Equal(path, error.FileName);
            Assert.Contains(path, error.Message);
        }
    }

    [Fact]
    public void No_file_at_all_is_rejected()
    {
        var error = Assert.Throws<ArgumentException>(() => TextCorpus.Load([]));

        Assert.Contains("at least one", error.Message);
    }

    [Fact]
    public void A_corrupt_gzip_file_is_reported_by_name()
    {
        using var directory = new TemporaryDirectory();
        var gzip = TemporaryDirectory.Gzip(Content(1, 5000));
        gzip[gzip.Length / 2] ^= 0xFF;
        gzip[(gzip.Length / 2) + 1] ^= 0x5A;
        var path = directory.Write("broken.gz", gzip);

        var error = Assert.Throws<InvalidDataException>(() => TextCorpus.Load([path]));

        Assert.Contains(path, error.Message);
    }
}
