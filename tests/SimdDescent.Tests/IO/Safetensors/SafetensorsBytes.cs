using System.Text;

namespace SimdDescent.Tests.IO.Safetensors;

/// <summary>Safetensors files assembled by hand, per the format description, independently of the writer.</summary>
internal static class SafetensorsBytes
{
    /// <summary>8-byte little-endian header length, the UTF-8 header, then the data.</summary>
    public static byte[] Assemble(string header, byte[] data, ulong? declaredHeaderLength = null) =>
        Assemble(Encoding.UTF8.GetBytes(header), data, declaredHeaderLength);

    public static byte[] Assemble(byte[] header, byte[] data, ulong? declaredHeaderLength = null)
    {
        var length = declaredHeaderLength ?? (ulong)header.Length;
        var bytes = new List<byte>();
        for (var i = 0; i < 8; i++)
        {
            bytes.Add((byte)(length >> (8 * i)));
        }

        bytes.AddRange(header);
        bytes.AddRange(data);
        return [.. bytes];
    }

    /// <summary>The little-endian bytes of each value, one after the other.</summary>
    public static byte[] Little(params float[] values) =>
        [.. values.SelectMany(v => LittleEndian(BitConverter.GetBytes(v)))];

    /// <summary>The little-endian bytes of each value, one after the other.</summary>
    public static byte[] Little(params double[] values) =>
        [.. values.SelectMany(v => LittleEndian(BitConverter.GetBytes(v)))];

    /// <summary>The little-endian bytes of each value, one after the other.</summary>
    public static byte[] Little(params long[] values) =>
        [.. values.SelectMany(v => LittleEndian(BitConverter.GetBytes(v)))];

    private static byte[] LittleEndian(byte[] bytes)
    {
        if (!BitConverter.IsLittleEndian)
        {
            Array.Reverse(bytes);
        }

        return bytes;
    }
}
