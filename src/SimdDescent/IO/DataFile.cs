using System.IO.Compression;
using System.Numerics;

namespace SimdDescent.IO;

/// <summary>
/// A data file opened for one sequential read, decompressed on the fly when it starts with the gzip magic
/// bytes 1F 8B, together with what is known about its length before reading it. As a stream it yields the
/// (decompressed) content and names the file in decompression errors, which GZipStream reports without it.
/// Pipes and other files that cannot seek are read the same way, their length unknown.
/// </summary>
internal sealed class DataFile : Stream
{
    // Deflate rarely shrinks numeric data by more than this; beyond it, arrays grow as data arrives.
    private const long AssumedCompressionRatio = 8;

    // Deflate's densest code spends two bits on a run of 258 bytes: no gzip file expands more than this.
    private const long MaximumCompressionRatio = 1032;

    private readonly Stream _content;

    // Bytes read from _content to look for the gzip magic and not yet passed on (a pipe cannot seek back).
    private ReadOnlyMemory<byte> _pending;

    private DataFile(string path, Stream content, ReadOnlyMemory<byte> pending, long? contentLength, long? storedLength) =>
        (Path, _content, _pending, ContentLength, StoredLength) = (path, content, pending, contentLength, storedLength);

    /// <summary>The path, for messages.</summary>
    public string Path { get; }

    /// <summary>The exact number of content bytes when known up front (an uncompressed file); null for gzip or a pipe.</summary>
    public long? ContentLength { get; }

    /// <summary>The size of the file on disk; null for a pipe.</summary>
    public long? StoredLength { get; }

    /// <summary>The most content bytes the file can hold: its length, or for gzip what its stored size can expand to; null when unknown.</summary>
    public long? MaximumContentLength => ContentLength ?? StoredLength * MaximumCompressionRatio;

    /// <summary>
    /// How many elements may be allocated before any of them has been read: a header can lie, so a
    /// compressed file gets room for a plausible expansion of its stored size, never the header's word alone.
    /// </summary>
    public long InitialCapacity(long declaredCount) =>
        ContentLength is not null
            ? declaredCount
            : Math.Min(declaredCount, Math.Max((StoredLength ?? 0) * AssumedCompressionRatio, 1 << 16));

    public static DataFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        try
        {
            var magic = new byte[2];
            var read = file.ReadAtLeast(magic, magic.Length, throwOnEndOfStream: false);
            long? length = file.CanSeek ? file.Length : null;
            var raw = new DataFile(path, file, magic.AsMemory(0, read), length, length);
            return read == 2 && magic[0] == 0x1F && magic[1] == 0x8B
                ? new DataFile(path, new GZipStream(raw, CompressionMode.Decompress), ReadOnlyMemory<byte>.Empty, null, length)
                : raw;
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Reads exactly <paramref name="count"/> bytes, converting each (an unsigned value 0..255) into an element of the result, and
    /// checks that nothing follows them. The only sizable allocation is the result itself; it starts at
    /// <see cref="InitialCapacity"/> and grows (by doubling, capped at <paramref name="count"/>) only as
    /// data actually arrives, so a lying header cannot make it huge.
    /// </summary>
    /// <param name="count">How many bytes (and elements) the header declares.</param>
    /// <param name="what">What the elements are, plural, for messages ("pixels", "labels").</param>
    public T[] ReadToEnd<T>(int count, string what)
        where T : unmanaged, INumberBase<T>
    {
        // Every element is written before the array is returned, so it need not be zeroed first.
        var result = GC.AllocateUninitializedArray<T>((int)InitialCapacity(count));
        var buffer = new byte[Math.Min(count, 1 << 16)];
        var filled = 0;
        while (filled < count)
        {
            if (filled == result.Length)
            {
                Array.Resize(ref result, (int)Math.Min(count, 2L * result.Length));
            }

            var got = Read(buffer, 0, Math.Min(buffer.Length, result.Length - filled));
            if (got == 0)
            {
                throw new InvalidDataException($"'{Path}' is truncated: it ends after {filled} of the {count} {what} its header declares.");
            }

            ByteWidening.Widen(buffer.AsSpan(0, got), result.AsSpan(filled, got));
            filled += got;
        }

        if (ReadByte() >= 0)
        {
            throw new InvalidDataException($"'{Path}' holds more data after the {count} {what} its header declares.");
        }

        return result;
    }

    /// <summary>
    /// Reads the whole (decompressed) content. An uncompressed file goes into an array of exactly its length
    /// and must not change meanwhile; a compressed one into a buffer that starts at <see cref="InitialCapacity"/>
    /// and grows only as data actually arrives.
    /// </summary>
    /// <exception cref="InvalidDataException">The file is too long for one array, changed while being read, or is not valid gzip data.</exception>
    public byte[] ReadAllBytes()
    {
        if (ContentLength is not { } length)
        {
            using var content = new MemoryStream((int)InitialCapacity(Array.MaxLength));
            CopyTo(content);
            return content.ToArray();
        }

        if (length > Array.MaxLength)
        {
            throw new InvalidDataException($"'{Path}' holds {length} bytes; one array holds at most {Array.MaxLength}.");
        }

        var bytes = GC.AllocateUninitializedArray<byte>((int)length);
        if (ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) < bytes.Length || ReadByte() >= 0)
        {
            throw new InvalidDataException($"'{Path}' changed while being read: it no longer holds the {length} bytes it had when opened.");
        }

        return bytes;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (!_pending.IsEmpty)
        {
            var count = Math.Min(buffer.Length, _pending.Length);
            _pending.Span[..count].CopyTo(buffer);
            _pending = _pending[count..];
            return count;
        }

        try
        {
            return _content.Read(buffer);
        }
        catch (InvalidDataException e) when (_content is GZipStream)
        {
            throw new InvalidDataException($"'{Path}' is not valid gzip data: {e.Message}", e);
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _content.Dispose();
        }

        base.Dispose(disposing);
    }
}
