using System.Buffers.Binary;

namespace SimdDescent.Cli.Tests;

/// <summary>Writes a small MNIST-style IDX data set of 8×8 images (the digits network's 64 inputs) with random pixels and labels.</summary>
internal static class IdxFiles
{
    public static string WriteDigitsLike(string directory, int trainRows, int testRows)
    {
        Directory.CreateDirectory(directory);
        var random = new Random(3);
        Write(directory, "train", trainRows, random);
        Write(directory, "t10k", testRows, random);
        return directory;
    }

    private static void Write(string directory, string prefix, int rows, Random random)
    {
        var images = new byte[16 + (rows * 64)];
        BinaryPrimitives.WriteInt32BigEndian(images, 0x0803);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(4), rows);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(8), 8);
        BinaryPrimitives.WriteInt32BigEndian(images.AsSpan(12), 8);
        random.NextBytes(images.AsSpan(16));
        var labels = new byte[8 + rows];
        BinaryPrimitives.WriteInt32BigEndian(labels, 0x0801);
        BinaryPrimitives.WriteInt32BigEndian(labels.AsSpan(4), rows);
        for (var i = 8; i < labels.Length; i++)
        {
            labels[i] = (byte)random.Next(10);
        }

        File.WriteAllBytes(Path.Combine(directory, $"{prefix}-images-idx3-ubyte"), images);
        File.WriteAllBytes(Path.Combine(directory, $"{prefix}-labels-idx1-ubyte"), labels);
    }
}
