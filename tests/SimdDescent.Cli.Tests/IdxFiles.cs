using System.Buffers.Binary;

namespace SimdDescent.Cli.Tests;

/// <summary>Writes small MNIST-style IDX data sets with random pixels and labels.</summary>
internal static class IdxFiles
{
    /// <summary>8×8 images (the digits network's 64 inputs), pixels unrelated to the labels.</summary>
    public static string WriteDigitsLike(string directory, int trainRows, int testRows) => WriteSet(directory, 8, trainRows, testRows, learnable: false);

    /// <summary>28×28 images (Fashion-MNIST's shape) whose brightness grows with the label, so a network can learn them.</summary>
    public static string WriteFashionLike(string directory, int trainRows, int testRows) => WriteSet(directory, 28, trainRows, testRows, learnable: true);

    private static string WriteSet(string directory, int side, int trainRows, int testRows, bool learnable)
    {
        Directory.CreateDirectory(directory);
        var random = new Random(3);
        Write(directory, "train", side, trainRows, learnable, random);
        Write(directory, "t10k", side, testRows, learnable, random);
        return directory;
    }

    private static void Write(string directory, string prefix, int side, int rows, bool learnable, Random random)
    {
        var pixels = side * side;
        var images = new byte[16 + (rows * pixels)];
        BinaryPrimitives.WriteInt32BigEndian(images, 0x0803);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(4), rows);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(8), side);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(12), side);
        random.NextBytes(images.AsSpan(16));
        var labels = new byte[8 + rows];
        BinaryPrimitives.WriteInt32BigEndian(labels, 0x0801);
        BinaryPrimitives.WriteInt32BigEndian(labels.AsSpan(4), rows);
        for (var i = 8; i < labels.Length; i++)
        {
            labels[i] = (byte)random.Next(10);
            if (learnable)
            {
                // Pixels in [0, 100) plus 15 per class step: the mean brightness tells the classes apart.
                foreach (ref var pixel in images.AsSpan(16 + ((i - 8) * pixels), pixels))
                {
                    pixel = (byte)((pixel % 100) + (15 * labels[i]));
                }
            }
        }

        File.WriteAllBytes(Path.Combine(directory, $"{prefix}-images-idx3-ubyte"), images);
        File.WriteAllBytes(Path.Combine(directory, $"{prefix}-labels-idx1-ubyte"), labels);
    }
}
