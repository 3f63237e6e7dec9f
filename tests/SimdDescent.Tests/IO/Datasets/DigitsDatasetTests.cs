using System.Security.Cryptography;
using System.IO.Compression;
using SimdDescent.IO.Datasets;
using SimdDescent.Networks;

namespace SimdDescent.Tests.IO.Datasets;

public sealed class DigitsDatasetTests
{
    [Fact]
    public void Load_returns_all_1797_samples_with_pixels_divided_by_16()
    {
        var digits = DigitsDataset.Load();

        Assert.Equal(DigitsDataset.SampleCount, digits.Count);
        Assert.Equal(1797, digits.Count);
        Assert.Equal(64, digits.InputWidth);
        Assert.Equal(TargetKind.ClassLabels, digits.Kind);
        // The first line of the file: 0,0,5,13,9,1,0,0,0,0,13,15,10,15,5,0,... with digit 0.
        Assert.Equal([0f, 0, 5 / 16f, 13 / 16f, 9 / 16f, 1 / 16f, 0, 0, 0, 0, 13 / 16f, 15 / 16f, 10 / 16f, 15 / 16f, 5 / 16f, 0], digits.InputRows(0, 1)[..16].ToArray());
        Assert.Equal(0, digits.Labels[0]);
        Assert.All(digits.Inputs.ToArray(), pixel => Assert.True(pixel is >= 0 and <= 1 && pixel * 16 == MathF.Round(pixel * 16)));
    }

    [Fact]
    public void The_class_counts_are_those_of_the_UCI_test_set()
    {
        var perClass = new int[DigitsDataset.ClassCount];
        foreach (var label in DigitsDataset.Load().Labels)
        {
            perClass[label]++;
        }

        // From the data set's description: the writer-independent test set (optdigits.tes).
        Assert.Equal([178, 182, 177, 183, 181, 182, 181, 179, 174, 180], perClass);
    }

    [Fact]
    public void The_embedded_resource_is_byte_for_byte_the_published_data_file()
    {
        using var resource = typeof(DigitsDataset).Assembly.GetManifestResourceStream("SimdDescent.IO.Datasets.digits.csv.gz")!;

        // SHA-256 of digits.csv.gz as Debian's python3-sklearn 1.2.1 ships it (see NOTICE.md).
        Assert.Equal("46abec6b12486ad9e51943373abcf22bbea1b5a51a1619b361570d8893f1464a", Convert.ToHexStringLower(SHA256.HashData(resource)));
    }

    [Fact]
    public void The_embedded_file_decompresses_to_1797_lines_of_65_cells()
    {
        using var resource = typeof(DigitsDataset).Assembly.GetManifestResourceStream("SimdDescent.IO.Datasets.digits.csv.gz")!;
        using var reader = new StreamReader(new GZipStream(resource, CompressionMode.Decompress));
        var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(1797, lines.Length);
        Assert.All(lines, line => Assert.Equal(65, line.Split(',').Length));
    }

    [Fact]
    public void LoadSplit_holds_out_a_fifth_reproducibly()
    {
        var (train, test) = DigitsDataset.LoadSplit();
        var (trainAgain, testAgain) = DigitsDataset.LoadSplit();

        Assert.Equal(360, test.Count); // ⌈0.2 × 1797⌉
        Assert.Equal(1437, train.Count);
        Assert.Equal(test.Inputs.ToArray(), testAgain.Inputs.ToArray());
        Assert.Equal(train.Labels.ToArray(), trainAgain.Labels.ToArray());
    }

    [Fact]
    public void LoadSplit_with_another_seed_gives_another_split()
    {
        var (_, standard) = DigitsDataset.LoadSplit();
        var (_, other) = DigitsDataset.LoadSplit(seed: DigitsDataset.DefaultSeed + 1);

        Assert.NotEqual(standard.Labels.ToArray(), other.Labels.ToArray());
    }
}
