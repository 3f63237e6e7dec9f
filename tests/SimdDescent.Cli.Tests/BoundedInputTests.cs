using System.Buffers.Binary;
using System.IO.Compression;

namespace SimdDescent.Cli.Tests;

/// <summary>
/// Input files cost memory bounded by what they really hold and a network can use: train pairs IDX headers before
/// reading data, predict reads rows as wide as the widest input and a table's worth of them.
/// </summary>
public sealed class BoundedInputTests
{
    [Fact]
    public void Train_rejects_a_gzip_bomb_of_images_with_fewer_labels_before_reading_its_pixels()
    {
        using var folder = new TemporaryFolder();
        foreach (var (name, dimensions) in new[]
        {
            ("train-images-idx3-ubyte.gz", new[] { 200_000, 28, 28 }),
            ("train-labels-idx1-ubyte.gz", [60_000]),
            ("t10k-images-idx3-ubyte.gz", [10, 28, 28]),
            ("t10k-labels-idx1-ubyte.gz", [10]),
        })
        {
            WriteGzipIdx(folder.File(name), dimensions);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();

        var run = CliRun.Invoke("train", "--data", folder.Path, "--epochs", "1");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal(
            $"error: '{folder.File("train-labels-idx1-ubyte.gz")}' declares 60000 labels but '{folder.File("train-images-idx3-ubyte.gz")}' declares 200000 images; expected one label per image.",
            run.Error.TrimEnd());
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 << 20);
    }

    [Fact]
    public void An_endless_file_without_line_breaks_ends_in_one_error_line()
    {
        Assert.SkipUnless(File.Exists("/dev/zero"), "needs /dev/zero");
        using var folder = new TemporaryFolder();
        var weights = CliRun.TrainedDigitsWeights(folder);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var run = CliRun.Invoke("predict", "--weights", weights, "--input", "/dev/zero");

        Assert.Equal(1, run.ExitCode);
        Assert.Equal("error: '/dev/zero' line 1 is longer than 25088 characters, the most a line may hold (CsvOptions.MaxLineLength); expected lines of delimited numbers.", run.Error.TrimEnd());
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 16 << 20);
    }

    [Fact]
    public void More_rows_than_a_table_can_show_are_rejected()
    {
        using var folder = new TemporaryFolder();
        var weights = CliRun.TrainedDigitsWeights(folder);
        var csv = folder.File("many.csv");
        File.WriteAllLines(csv, Enumerable.Repeat(string.Join(",", Enumerable.Repeat("0", 64)), 10_001));

        var run = CliRun.Invoke("predict", "--weights", weights, "--input", csv);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("holds more than 10000 rows", run.Error, StringComparison.Ordinal);
    }

    /// <summary>An IDX file of unsigned bytes, all zero, gzip-compressed as it is written: 157 MB of images take a few hundred KB.</summary>
    private static void WriteGzipIdx(string path, int[] dimensions)
    {
        using var gzip = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        gzip.Write([0, 0, 8, (byte)dimensions.Length]);
        var size = new byte[4];
        foreach (var dimension in dimensions)
        {
            BinaryPrimitives.WriteInt32BigEndian(size, dimension);
            gzip.Write(size);
        }

        var zeros = new byte[1 << 20];
        for (var left = dimensions.Aggregate(1L, (product, d) => product * d); left > 0; left -= zeros.Length)
        {
            gzip.Write(zeros, 0, (int)Math.Min(left, zeros.Length));
        }
    }
}
