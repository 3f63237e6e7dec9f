using System.IO.Compression;
using SimdDescent.Tests.Support;

namespace SimdDescent.Tests.IO.Text;

/// <summary>The English text shipped with the tests (Data/sayings.txt.gz), read independently of the library.</summary>
internal static class ShippedText
{
    public const string FileName = "sayings.txt.gz";

    public static string Path => TestData.PathOf(FileName);

    /// <summary>The decompressed bytes, through GZipStream alone.</summary>
    public static byte[] Bytes()
    {
        using var gzip = new GZipStream(File.OpenRead(Path), CompressionMode.Decompress);
        using var content = new MemoryStream();
        gzip.CopyTo(content);
        return content.ToArray();
    }
}
