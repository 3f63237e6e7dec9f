using SimdDescent.IO.Idx;

namespace SimdDescent.Tests.IO.Idx;

public sealed class IdxReaderTests
{
    /// <summary>An IDX file assembled byte by byte: 00 00, type, rank, then big-endian 32-bit sizes.</summary>
    private static byte[] Idx(byte type, int[] dimensions, byte[] data)
    {
        var bytes = new List<byte> { 0, 0, type, (byte)dimensions.Length };
        foreach (var size in dimensions)
        {
            bytes.AddRange([(byte)(size >>> 24), (byte)(size >>> 16), (byte)(size >>> 8), (byte)size]);
        }

        bytes.AddRange(data);
        return [.. bytes];
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadImages_returns_the_stored_bytes_as_floats_image_by_image(bool compressed)
    {
        using var directory = new TemporaryDirectory();
        byte[] pixels = [0, 1, 2, 3, 4, 5, 255, 128, 7, 9, 10, 11];
        var file = Idx(0x08, [2, 3, 2], pixels);
        var path = directory.Write("images", file, compressed);

        var images = IdxReader.ReadImages(path);

        Assert.Equal(2, images.Count);
        Assert.Equal(3, images.Rows);
        Assert.Equal(2, images.Columns);
        Assert.Equal(6, images.PixelsPerImage);
        Assert.Equal([0f, 1, 2, 3, 4, 5, 255, 128, 7, 9, 10, 11], images.Pixels);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadLabels_returns_the_stored_bytes_as_ints(bool compressed)
    {
        using var directory = new TemporaryDirectory();
        var file = Idx(0x08, [5], [9, 0, 3, 255, 1]);
        var path = directory.Write("labels", file, compressed);

        Assert.Equal([9, 0, 3, 255, 1], IdxReader.ReadLabels(path));
    }

    [Fact]
    public void A_large_compressible_file_is_read_completely_through_the_growing_buffer()
    {
        // 300 images of 28 × 28 compress ~100-fold, so the result array must grow several times while reading.
        using var directory = new TemporaryDirectory();
        var pixels = new byte[300 * 28 * 28];
        for (var i = 0; i < pixels.Length; i++)
        {
            pixels[i] = (byte)(i / 1000 % 256);
        }

        var gzip = TemporaryDirectory.Gzip(Idx(0x08, [300, 28, 28], pixels));
        Assert.True(gzip.Length * 8 < pixels.Length, "the test needs a file that compresses more than 8-fold");
        var path = directory.Write("images.gz", gzip);

        var images = IdxReader.ReadImages(path);

        Assert.Equal(pixels.Length, images.Pixels.Length);
        for (var i = 0; i < pixels.Length; i++)
        {
            Assert.Equal(pixels[i], images.Pixels[i]);
        }
    }

    [Fact]
    public void Gzip_is_recognized_by_its_magic_bytes_not_by_the_file_name()
    {
        using var directory = new TemporaryDirectory();
        var compressedWithoutSuffix = directory.Write("labels-idx1-ubyte", TemporaryDirectory.Gzip(Idx(0x08, [2], [4, 2])));
        var rawWithSuffix = directory.Write("labels-idx1-ubyte.gz", Idx(0x08, [2], [6, 1]));

        Assert.Equal([4, 2], IdxReader.ReadLabels(compressedWithoutSuffix));
        Assert.Equal([6, 1], IdxReader.ReadLabels(rawWithSuffix));
    }

    [Fact]
    public void An_empty_set_of_images_is_valid()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.Write("images", Idx(0x08, [0, 28, 28], []));

        var images = IdxReader.ReadImages(path);

        Assert.Equal(0, images.Count);
        Assert.Empty(images.Pixels);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Reading_allocates_the_result_and_small_buffers_but_no_copy_of_the_file(bool compressed)
    {
        // Random pixels barely compress, so even the gzip path can size the result right away.
        using var directory = new TemporaryDirectory();
        var pixels = new byte[250 * 28 * 28];
        new Random(4).NextBytes(pixels);
        var path = directory.Write("images", Idx(0x08, [250, 28, 28], pixels), compressed);
        IdxReader.ReadImages(path);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var images = IdxReader.ReadImages(path);

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var result = (long)images.Pixels.Length * sizeof(float);
        Assert.True(allocated < result + 300_000, $"allocated {allocated} bytes for a {result}-byte result and a {pixels.Length}-byte file");
    }

    public static TheoryData<string, byte[], string> MalformedImageFiles => new()
    {
        { "labels magic", Idx(0x08, [2], [1, 2]), "expected magic number 0x00000803" },
        { "signed bytes", Idx(0x09, [1, 1, 1], [1]), "found 0x00000903" },
        { "four dimensions", Idx(0x08, [1, 1, 1, 1], [1]), "found 0x00000804" },
        { "nonzero first bytes", [1, 0, 8, 3, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1], "found 0x01000803" },
        { "too short for the magic", [0, 0, 8], "fewer than the 4-byte magic number" },
        { "header cut inside a size", [0, 0, 8, 3, 0, 0, 0, 1, 0, 0], "its IDX header needs 16 bytes" },
        { "negative count", Idx(0x08, [-1, 2, 2], []), "declares -1 images" },
        { "zero rows", Idx(0x08, [1, 0, 2], []), "declares 0 rows" },
        { "overflowing size", Idx(0x08, [65536, 65536, 65536], []), "more than the" },
        { "truncated pixels", Idx(0x08, [2, 2, 2], [1, 2, 3, 4, 5, 6, 7]), "is truncated: its header declares 2 images × 2 rows × 2 columns = 8 bytes of data, the file holds 7" },
        { "trailing data", Idx(0x08, [1, 2, 2], [1, 2, 3, 4, 5]), "has trailing data" },
    };

    [Theory]
    [MemberData(nameof(MalformedImageFiles))]
    public void Malformed_raw_image_files_are_rejected_with_a_message_naming_the_file(string _, byte[] file, string expectedMessage)
    {
        using var directory = new TemporaryDirectory();
        var path = directory.Write("bad-images", file);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains($"'{path}'", error.Message);
        Assert.Contains(expectedMessage, error.Message);
    }

    [Theory]
    [InlineData(7, "is truncated: it ends after 7 of the 8 pixels")]
    [InlineData(9, "holds more data after the 8 pixels")]
    public void A_compressed_file_whose_data_disagrees_with_its_header_is_rejected(int dataLength, string expectedMessage)
    {
        using var directory = new TemporaryDirectory();
        var path = directory.Write("images.gz", TemporaryDirectory.Gzip(Idx(0x08, [2, 2, 2], new byte[dataLength])));

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains($"'{path}'", error.Message);
        Assert.Contains(expectedMessage, error.Message);
    }

    [Fact]
    public void Corrupt_compressed_data_is_reported_with_the_file_name()
    {
        using var directory = new TemporaryDirectory();
        var pixels = new byte[10_000];
        new Random(2).NextBytes(pixels);
        var gzip = TemporaryDirectory.Gzip(Idx(0x08, [100, 10, 10], pixels));
        for (var i = 30; i < 60; i++)
        {
            gzip[i] ^= 0x5A;
        }

        var path = directory.Write("corrupt.gz", gzip);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains($"'{path}' is not valid gzip data", error.Message);
    }

    [Fact]
    public void A_compressed_header_that_claims_more_than_the_data_backs_allocates_only_what_arrives()
    {
        // 50,000 random bytes barely compress, so 20 million pixels fit what the stored size could expand to.
        using var directory = new TemporaryDirectory();
        var pixels = new byte[50_000];
        new Random(5).NextBytes(pixels);
        var path = directory.Write("liar.gz", TemporaryDirectory.Gzip(Idx(0x08, [20_000_000, 1, 1], pixels)));
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains("ends after 50000 of the 20000000 pixels", error.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 4_000_000, "a lying header must not cause a large allocation");
    }

    [Fact]
    public void A_compressed_header_that_claims_more_than_gzip_can_expand_to_is_rejected_before_reading()
    {
        using var directory = new TemporaryDirectory();
        var bytes = TemporaryDirectory.Gzip(Idx(0x08, [2_000_000_000, 1, 1], new byte[1000]));
        var path = directory.Write("liar.gz", bytes);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.Contains($"'{path}' is truncated: its header declares 2000000000 images × 1 rows × 1 columns = 2000000000 bytes of data", error.Message);
        Assert.Contains($"more than the {(bytes.Length * 1032L) - 16} a gzip file of {bytes.Length} bytes can expand to", error.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 100_000, "the header alone must be checked, nothing read");
    }

    [Fact]
    public void Images_and_labels_of_different_counts_are_rejected_before_the_pixels_are_read()
    {
        // A gzip bomb: 20,000 images of zeros (15.7 MB) compress to kilobytes, but only 10 labels go with them.
        using var directory = new TemporaryDirectory();
        var images = directory.Write("images.gz", TemporaryDirectory.Gzip(Idx(0x08, [20_000, 28, 28], new byte[20_000 * 28 * 28])));
        var labels = directory.Write("labels.gz", TemporaryDirectory.Gzip(Idx(0x08, [10], new byte[10])));
        Assert.True(new FileInfo(images).Length < 100_000);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabeledImages(images, labels));

        Assert.Contains($"'{labels}' declares 10 labels but '{images}' declares 20000 images", error.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000, "no pixel may be read before the counts agree");
    }

    [Fact]
    public void A_raw_header_that_claims_more_data_than_the_file_holds_is_rejected_before_allocating()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.Write("liar", Idx(0x08, [100_000_000, 2, 2], new byte[1000]));
        var before = GC.GetAllocatedBytesForCurrentThread();

        Assert.Throws<InvalidDataException>(() => IdxReader.ReadImages(path));

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1_000_000, "a lying header must not cause a large allocation");
    }

    [Fact]
    public void ReadLabels_rejects_an_images_file()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.Write("images", Idx(0x08, [1, 1, 1], [0]));

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabels(path));

        Assert.Contains("expected magic number 0x00000801 (unsigned bytes, 1 dimension), found 0x00000803", error.Message);
    }

    [Fact]
    public void ReadLabeledImages_pairs_each_image_with_its_label()
    {
        using var directory = new TemporaryDirectory();
        var images = directory.Write("images", Idx(0x08, [3, 1, 2], [1, 2, 3, 4, 5, 6]));
        var labels = directory.Write("labels", Idx(0x08, [3], [7, 8, 9]));

        var data = IdxReader.ReadLabeledImages(images, labels);

        Assert.Equal(3, data.Count);
        Assert.Equal(2, data.InputWidth);
        Assert.Equal([5f, 6], data.InputRows(2, 1).ToArray());
        Assert.Equal([7, 8, 9], data.Labels.ToArray());
    }

    [Fact]
    public void ReadLabeledImages_rejects_files_of_different_lengths()
    {
        using var directory = new TemporaryDirectory();
        var images = directory.Write("images", Idx(0x08, [3, 1, 1], [1, 2, 3]));
        var labels = directory.Write("labels", Idx(0x08, [2], [7, 8]));

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.ReadLabeledImages(images, labels));

        Assert.Contains("declares 2 labels", error.Message);
        Assert.Contains("declares 3 images", error.Message);
    }

    [Fact]
    public async Task A_gzip_file_streamed_through_a_pipe_reads_like_the_file()
    {
        Assert.SkipUnless(File.Exists("/usr/bin/mkfifo"), "needs mkfifo");
        using var directory = new TemporaryDirectory();
        var pipe = directory.File("pipe");
        using (var mkfifo = System.Diagnostics.Process.Start("/usr/bin/mkfifo", [pipe]))
        {
            await mkfifo.WaitForExitAsync(TestContext.Current.CancellationToken);
        }

        var bytes = TemporaryDirectory.Gzip(Idx(0x08, [2, 1, 3], [1, 2, 3, 4, 5, 255]));
        // Opening a pipe blocks until its other end opens too, so the writer needs a thread of its own.
        var writer = Task.Run(() => File.WriteAllBytes(pipe, bytes), TestContext.Current.CancellationToken);

        var images = IdxReader.ReadImages(pipe);

        await writer;
        Assert.Equal([1f, 2, 3, 4, 5, 255], images.Pixels);
    }

    [Fact]
    public void A_missing_file_raises_FileNotFoundException()
    {
        using var directory = new TemporaryDirectory();

        Assert.Throws<FileNotFoundException>(() => IdxReader.ReadImages(directory.File("absent")));
    }
}
