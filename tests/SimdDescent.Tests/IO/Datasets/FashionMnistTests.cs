using System.IO.Compression;
using SimdDescent.IO.Datasets;

namespace SimdDescent.Tests.IO.Datasets;

/// <summary>Runs against the real files where Debian's dataset-fashion-mnist package is installed; skipped elsewhere.</summary>
public sealed class FashionMnistTests
{
    private static void SkipWhenAbsent() =>
        Assert.SkipUnless(FashionMnist.IsAvailable(), $"Fashion-MNIST is not installed in {FashionMnist.DefaultDirectory} (apt-get install -y dataset-fashion-mnist).");

    /// <summary>The first image's raw bytes, read straight from the compressed file: 16 header bytes, then 784 pixels.</summary>
    private static byte[] FirstImageBytes(string split)
    {
        using var gzip = new GZipStream(File.OpenRead(Path.Combine(FashionMnist.DefaultDirectory, $"{split}-images-idx3-ubyte.gz")), CompressionMode.Decompress);
        var bytes = new byte[16 + 784];
        gzip.ReadExactly(bytes);
        return bytes[16..];
    }

    [Theory]
    [InlineData("train", 60_000)]
    [InlineData("t10k", 10_000)]
    public void The_installed_files_load_with_balanced_classes_and_scaled_pixels(string split, int expectedCount)
    {
        SkipWhenAbsent();

        var data = split == "train" ? FashionMnist.LoadTrain() : FashionMnist.LoadTest();

        Assert.Equal(expectedCount, data.Count);
        Assert.Equal(FashionMnist.FeatureCount, data.InputWidth);
        // Fashion-MNIST holds exactly a tenth of each split in every class.
        var perClass = new int[10];
        foreach (var label in data.Labels)
        {
            perClass[label]++;
        }

        Assert.All(perClass, count => Assert.Equal(expectedCount / 10, count));
        // A plain scan: Assert.All over 47 million pixels would be needlessly slow under emulation in CI.
        var pixels = data.Inputs.ToArray();
        Assert.Equal(0f, pixels.Min());
        Assert.Equal(1f, pixels.Max());
        var firstImage = FirstImageBytes(split);
        for (var i = 0; i < firstImage.Length; i++)
        {
            Assert.Equal(firstImage[i] / 255f, pixels[i]);
        }
    }

    [Fact]
    public void A_directory_without_the_files_is_reported_as_unavailable_and_names_the_missing_file()
    {
        using var directory = new TemporaryDirectory();

        Assert.False(FashionMnist.IsAvailable(directory.Path));
        var error = Assert.Throws<FileNotFoundException>(() => FashionMnist.LoadTest(directory.Path));
        Assert.Contains("t10k-images-idx3-ubyte.gz", error.Message);
    }

    [Fact]
    public void Uncompressed_files_load_too()
    {
        using var directory = new TemporaryDirectory();
        foreach (var (name, bytes) in new[]
        {
            ("t10k-images-idx3-ubyte", new byte[] { 0, 0, 8, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 2, 0, 255 }),
            ("t10k-labels-idx1-ubyte", new byte[] { 0, 0, 8, 1, 0, 0, 0, 1, 4 }),
        })
        {
            File.WriteAllBytes(directory.File(name), bytes);
        }

        var data = FashionMnist.LoadTest(directory.Path);

        Assert.Equal([0f, 1f], data.Inputs.ToArray());
        Assert.Equal([4], data.Labels.ToArray());
    }
}
