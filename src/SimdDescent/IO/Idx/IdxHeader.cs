using System.Buffers.Binary;

namespace SimdDescent.IO.Idx;

/// <summary>
/// The header of an IDX file (the MNIST format): two zero bytes, a type code, the number of dimensions,
/// then each dimension as a big-endian 32-bit integer.
/// </summary>
internal static class IdxHeader
{
    /// <summary>The type code of unsigned bytes, the only element type MNIST-style data sets use.</summary>
    public const byte UnsignedByte = 0x08;

    /// <summary>
    /// Reads and checks the header and returns the dimensions together with their product, which is
    /// guaranteed to fit one array; checks it against the content length where that is known, and against
    /// the most a compressed file can expand to where it is not.
    /// </summary>
    /// <param name="file">The opened file, positioned at its start.</param>
    /// <param name="dimensionNames">One name per expected dimension, for messages ("images", "rows", "columns").</param>
    public static (int[] Dimensions, int ElementCount) Read(DataFile file, ReadOnlySpan<string> dimensionNames)
    {
        var rank = dimensionNames.Length;
        var expectedMagic = (UnsignedByte << 8) | rank;
        var headerLength = 4 + (4 * rank);
        Span<byte> header = stackalloc byte[headerLength];
        var read = file.ReadAtLeast(header, headerLength, throwOnEndOfStream: false);
        if (read < 4)
        {
            throw new InvalidDataException($"'{file.Path}' is not an IDX file: it has {read} bytes, fewer than the 4-byte magic number 0x{expectedMagic:X8}.");
        }

        var magic = BinaryPrimitives.ReadInt32BigEndian(header);
        if (magic != expectedMagic)
        {
            throw new InvalidDataException(
                $"'{file.Path}' is not the expected IDX file: expected magic number 0x{expectedMagic:X8} (unsigned bytes, {rank} dimension{(rank == 1 ? "" : "s")}), found 0x{magic:X8}.");
        }

        if (read < headerLength)
        {
            throw new InvalidDataException($"'{file.Path}' is truncated: its IDX header needs {headerLength} bytes ({rank} dimension sizes), the file has {read}.");
        }

        var dimensions = new int[rank];
        long product = 1;
        for (var d = 0; d < rank; d++)
        {
            var size = BinaryPrimitives.ReadInt32BigEndian(header[(4 + (4 * d))..]);
            // The first dimension counts samples and may be 0; the others describe one sample.
            if (size < 0 || (size == 0 && d > 0))
            {
                throw new InvalidDataException($"'{file.Path}' declares {size} {dimensionNames[d]}; expected a positive count.");
            }

            dimensions[d] = size;
            product *= size;
            if (product > Array.MaxLength)
            {
                throw new InvalidDataException(
                    $"'{file.Path}' declares {Describe(dimensions.AsSpan(0, d + 1), dimensionNames)}, more than the {Array.MaxLength} elements one array can hold.");
            }
        }

        if (file.ContentLength is { } length && length - headerLength != product)
        {
            var problem = length - headerLength < product ? "is truncated" : "has trailing data";
            throw new InvalidDataException(
                $"'{file.Path}' {problem}: its header declares {Describe(dimensions, dimensionNames)} = {product} bytes of data, the file holds {length - headerLength}.");
        }

        if (file.ContentLength is null && file.MaximumContentLength - headerLength < product)
        {
            throw new InvalidDataException(
                $"'{file.Path}' is truncated: its header declares {Describe(dimensions, dimensionNames)} = {product} bytes of data, more than the {file.MaximumContentLength - headerLength} a gzip file of {file.StoredLength} bytes can expand to.");
        }

        return (dimensions, (int)product);
    }

    private static string Describe(ReadOnlySpan<int> sizes, ReadOnlySpan<string> names)
    {
        var parts = new string[sizes.Length];
        for (var d = 0; d < sizes.Length; d++)
        {
            parts[d] = $"{sizes[d]} {names[d]}";
        }

        return string.Join(" × ", parts);
    }
}
