using SimdDescent.IO.Text;

namespace SimdDescent.Tests.IO.Text;

public sealed class FortunesCorpusTests
{
    /// <summary>
    /// A fortunes-style directory: three categories ("Beta" sorts before "alpha" in ordinal order), their
    /// strfile indexes, a .u8 alias and another link, a regular .u8 file and a subfolder, none of them categories.
    /// </summary>
    private static Dictionary<string, byte[]> FakeFortunes(TemporaryDirectory directory)
    {
        var categories = new Dictionary<string, byte[]>
        {
            ["zeta"] = "Zeta one.\n%\nZeta two, a little longer.\n%\n"u8.ToArray(),
            ["alpha"] = "Alpha says hello.\n%\nAlpha says goodbye, and means it.\n%\nAlpha again.\n"u8.ToArray(),
            ["Beta"] = "Beta: caf\u00e9.\n%\n"u8.ToArray(),
        };
        foreach (var (name, bytes) in categories)
        {
            directory.Write(name, bytes);
            directory.Write(name + ".dat", [0, 0, 0, 2, 0, 0, 0, 3]);
        }

        File.CreateSymbolicLink(directory.File("alpha.u8"), "alpha");
        File.CreateSymbolicLink(directory.File("zeta-link"), "zeta");
        directory.Write("stray.u8", "not a category"u8.ToArray());
        Directory.CreateDirectory(directory.File("off"));
        directory.Write(Path.Combine("off", "rude"), "hidden"u8.ToArray());
        return categories;
    }

    /// <summary>The split written out by hand: each category's first ⌊9n/10⌋ bytes train, in the order given.</summary>
    private static (byte[] Training, byte[] Validation) Expected(Dictionary<string, byte[]> categories, params string[] order) =>
        ([.. order.SelectMany(name => categories[name][..(categories[name].Length * 9 / 10)])],
         [.. order.SelectMany(name => categories[name][(categories[name].Length * 9 / 10)..])]);

    [Fact]
    public void Categories_are_the_regular_files_other_than_indexes_and_aliases_in_ordinal_order()
    {
        using var directory = new TemporaryDirectory();
        FakeFortunes(directory);

        Assert.Equal(["Beta", "alpha", "zeta"], FortunesCorpus.Categories(directory.Path));
        Assert.True(FortunesCorpus.IsAvailable(directory.Path));
    }

    [Fact]
    public void All_categories_load_split_per_file_and_concatenated_in_name_order()
    {
        using var directory = new TemporaryDirectory();
        var categories = FakeFortunes(directory);

        var corpus = FortunesCorpus.Load(directory.Path);

        var (training, validation) = Expected(categories, "Beta", "alpha", "zeta");
        Assert.Equal(training, corpus.Training.ToArray());
        Assert.Equal(validation, corpus.Validation.ToArray());
        Assert.Equal(["Beta", "alpha", "zeta"], corpus.Sources.Select(s => s.Name));
        Assert.Equal(corpus.Sources, FortunesCorpus.Load(directory.Path, []).Sources);
    }

    [Fact]
    public void Chosen_categories_load_in_name_order_whatever_order_they_are_named_in()
    {
        using var directory = new TemporaryDirectory();
        var categories = FakeFortunes(directory);

        var corpus = FortunesCorpus.Load(directory.Path, ["zeta", "Beta", "zeta"]);

        var (training, validation) = Expected(categories, "Beta", "zeta");
        Assert.Equal(training, corpus.Training.ToArray());
        Assert.Equal(validation, corpus.Validation.ToArray());
        Assert.Equal([directory.File("Beta"), directory.File("zeta")], corpus.Sources.Select(s => s.Path));
    }

    [Fact]
    public void The_split_fraction_is_a_parameter()
    {
        using var directory = new TemporaryDirectory();
        var categories = FakeFortunes(directory);

        var corpus = FortunesCorpus.Load(directory.Path, ["alpha"], trainingFraction: 0.5);

        var alpha = categories["alpha"];
        Assert.Equal(alpha[..(alpha.Length / 2)], corpus.Training.ToArray());
        Assert.Equal(alpha[(alpha.Length / 2)..], corpus.Validation.ToArray());
    }

    [Theory]
    [InlineData("gamma")]
    [InlineData("ALPHA")]
    [InlineData("alpha.dat")]
    [InlineData("alpha.u8")]
    [InlineData("../zeta")]
    [InlineData("")]
    public void An_unknown_category_is_rejected_with_the_list_of_those_available(string category)
    {
        using var directory = new TemporaryDirectory();
        FakeFortunes(directory);

        var error = Assert.Throws<ArgumentException>(() => FortunesCorpus.Load(directory.Path, ["alpha", category]));

        Assert.Equal("categories", error.ParamName);
        Assert.Contains($"Unknown fortunes category '{category}'", error.Message);
        Assert.Contains("holds: Beta, alpha, zeta.", error.Message);
    }

    [Fact]
    public void A_missing_directory_is_reported_with_its_path()
    {
        using var directory = new TemporaryDirectory();
        var missing = directory.File("fortunes");

        Assert.False(FortunesCorpus.IsAvailable(missing));
        var listing = Assert.Throws<DirectoryNotFoundException>(() => FortunesCorpus.Categories(missing));
        var loading = Assert.Throws<DirectoryNotFoundException>(() => FortunesCorpus.Load(missing));
        Assert.Contains($"'{missing}'", listing.Message);
        Assert.Contains($"'{missing}'", loading.Message);
    }

    [Fact]
    public void A_directory_without_categories_is_reported_as_unavailable_and_named()
    {
        using var directory = new TemporaryDirectory();
        directory.Write("art.dat", [0, 0, 0, 2]);
        File.CreateSymbolicLink(directory.File("art.u8"), "art");

        Assert.Empty(FortunesCorpus.Categories(directory.Path));
        Assert.False(FortunesCorpus.IsAvailable(directory.Path));
        var error = Assert.Throws<FileNotFoundException>(() => FortunesCorpus.Load(directory.Path));
        Assert.Contains($"'{directory.Path}' holds no category files", error.Message);
    }

    [Fact]
    public void The_installed_corpus_loads_every_category_split_at_nine_tenths()
    {
        Assert.SkipUnless(FortunesCorpus.IsAvailable(), $"No fortunes in {FortunesCorpus.DefaultDirectory} (apt-get install -y fortunes).");
        var files = new DirectoryInfo(FortunesCorpus.DefaultDirectory).GetFiles()
            .Where(f => f.LinkTarget is null && f.Extension is not (".dat" or ".u8"))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToArray();

        var corpus = FortunesCorpus.Load();

        Assert.Equal(files.Select(f => f.Name), FortunesCorpus.Categories());
        Assert.Equal(files.Select(f => f.Name), corpus.Sources.Select(s => s.Name));
        Assert.Equal(files.Sum(f => f.Length * 9 / 10), corpus.Training.Length);
        Assert.Equal(files.Sum(f => f.Length - (f.Length * 9 / 10)), corpus.Validation.Length);
        var first = File.ReadAllBytes(files[0].FullName);
        Assert.Equal(first[..(first.Length * 9 / 10)], corpus.Training[..(first.Length * 9 / 10)].ToArray());
        Assert.Equal(first[(first.Length * 9 / 10)..], corpus.Validation[..(first.Length - (first.Length * 9 / 10))].ToArray());
    }
}
