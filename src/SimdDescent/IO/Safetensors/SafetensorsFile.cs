using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Text;

namespace SimdDescent.IO.Safetensors;

/// <summary>
/// Reads a safetensors file (https://github.com/huggingface/safetensors): an 8-byte little-endian header
/// length N, N bytes of JSON header, then the tensors' little-endian data. Opening parses and checks the
/// whole header; tensor data is read only when copied into a caller's span.
/// </summary>
/// <remarks>
/// Every malformed file (truncated, a header length beyond the file or above <see cref="MaxHeaderLength"/>,
/// JSON that is not an object, bad or duplicate entries, shapes whose size overflows, byte ranges that do
/// not match dtype × shape or do not tile the data section exactly, dtypes other than F32, F64 and I64) raises
/// <see cref="InvalidDataException"/>. Nothing larger than the header, which is bounded by the file's
/// length, is allocated before it has been checked. An instance reads from one stream and is not thread-safe.
/// </remarks>
public sealed class SafetensorsFile : IDisposable
{
    /// <summary>The largest header accepted, in bytes (100 MB, the reference implementation's limit).</summary>
    public const long MaxHeaderLength = 100_000_000;

    private readonly Stream _stream;
    private readonly bool _leaveOpen;
    private readonly long _dataStart;
    private readonly SafetensorsTensorInfo[] _tensors;
    private readonly Dictionary<string, SafetensorsTensorInfo> _byName;
    private readonly Dictionary<string, string> _metadata;

    private SafetensorsFile(Stream stream, bool leaveOpen, string source)
    {
        ThrowIfBigEndian();
        _stream = stream;
        _leaveOpen = leaveOpen;
        Source = source;
        var start = stream.Position;
        var available = stream.Length - start;
        Span<byte> prefix = stackalloc byte[sizeof(ulong)];
        if (available < prefix.Length || stream.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false) < prefix.Length)
        {
            throw new InvalidDataException($"'{source}' is not a safetensors file: it has {available} bytes, fewer than the 8-byte header length.");
        }

        var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > MaxHeaderLength || headerLength > (ulong)(available - prefix.Length))
        {
            throw new InvalidDataException(
                $"'{source}' is not a valid safetensors file: its header length {headerLength} exceeds {(headerLength > MaxHeaderLength ? $"the limit of {MaxHeaderLength} bytes" : $"the {available - prefix.Length} bytes that follow it")}.");
        }

        var header = new byte[(int)headerLength];
        if (stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) < header.Length)
        {
            throw new InvalidDataException($"'{source}' is truncated: it ends inside its {headerLength}-byte header.");
        }

        _dataStart = start + prefix.Length + header.Length;
        (_tensors, _metadata) = SafetensorsHeader.Parse(header, available - prefix.Length - header.Length, source);
        _byName = new Dictionary<string, SafetensorsTensorInfo>(_tensors.Length, StringComparer.Ordinal);
        foreach (var tensor in _tensors)
        {
            _byName.Add(tensor.Name, tensor);
        }
    }

    /// <summary>The file name or the name given for a stream; error messages quote it.</summary>
    public string Source { get; }

    /// <summary>Every tensor, in the order of its data in the file.</summary>
    public IReadOnlyList<SafetensorsTensorInfo> Tensors => _tensors;

    /// <summary>The header's <c>__metadata__</c> entries (empty when it has none).</summary>
    public IReadOnlyDictionary<string, string> Metadata => _metadata;

    /// <summary>Opens and checks a file; the instance keeps it open for reading until disposed.</summary>
    /// <exception cref="InvalidDataException">The file is not a valid safetensors file SimdDescent can read.</exception>
    public static SafetensorsFile Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        try
        {
            return new SafetensorsFile(stream, leaveOpen: false, path);
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Reads and checks the header of a safetensors file that starts at the stream's current position.</summary>
    /// <param name="stream">A readable, seekable stream; the file extends from its position to its end.</param>
    /// <param name="sourceName">Names the stream in error messages.</param>
    /// <param name="leaveOpen">Whether disposing this instance leaves the stream open.</param>
    /// <exception cref="ArgumentException">The stream cannot read or seek.</exception>
    /// <exception cref="InvalidDataException">The content is not a valid safetensors file SimdDescent can read.</exception>
    public static SafetensorsFile Read(Stream stream, string sourceName, bool leaveOpen = false)
    {
        ArgumentNullException.ThrowIfNull(stream);
        if (!stream.CanRead || !stream.CanSeek)
        {
            throw new ArgumentException("Expected a readable, seekable stream: tensors are read by offset.", nameof(stream));
        }

        return new SafetensorsFile(stream, leaveOpen, sourceName);
    }

    /// <summary>Looks a tensor up by name.</summary>
    public bool TryGetTensor(string name, out SafetensorsTensorInfo tensor) => _byName.TryGetValue(name, out tensor!);

    /// <summary>The tensor of that name.</summary>
    /// <exception cref="InvalidDataException">The file has no tensor of that name.</exception>
    public SafetensorsTensorInfo GetTensor(string name) =>
        _byName.TryGetValue(name, out var tensor)
            ? tensor
            : throw new InvalidDataException($"'{Source}' has no tensor '{name}'.");

    /// <summary>Copies a tensor's data into <paramref name="destination"/>, which must hold exactly its elements.</summary>
    /// <typeparam name="T"><see cref="float"/> for F32 tensors, <see cref="double"/> for F64.</typeparam>
    /// <exception cref="InvalidDataException">There is no such tensor, its dtype does not match <typeparamref name="T"/>, or the file was cut short.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/>'s length differs from the tensor's element count.</exception>
    public void CopyTo<T>(string name, Span<T> destination)
        where T : unmanaged
    {
        var tensor = Locate(name, SafetensorsDTypes.Of<T>(), destination.Length);
        ReadData(tensor, MemoryMarshal.AsBytes(destination));
    }

    /// <summary>
    /// Copies an I64 tensor's values converted to <typeparamref name="T"/> (rounded to the nearest representable
    /// value), for the counts PyTorch stores as integers. The data is read through a fixed-size buffer.
    /// </summary>
    /// <exception cref="InvalidDataException">There is no such tensor, it is not I64, or the file was cut short.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/>'s length differs from the tensor's element count.</exception>
    public void CopyIntegersTo<T>(string name, Span<T> destination)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var tensor = Locate(name, SafetensorsDType.I64, destination.Length);
        Span<long> buffer = stackalloc long[256];
        for (var done = 0; done < destination.Length; done += buffer.Length)
        {
            var chunk = buffer[..Math.Min(buffer.Length, destination.Length - done)];
            ReadData(tensor, MemoryMarshal.AsBytes(chunk));
            for (var i = 0; i < chunk.Length; i++)
            {
                destination[done + i] = T.CreateChecked(chunk[i]);
            }
        }
    }

    /// <summary>
    /// Copies a tensor's data after checking that its shape is <paramref name="expectedShape"/>, as a loader of
    /// a known architecture needs.
    /// </summary>
    /// <exception cref="InvalidDataException">There is no such tensor, or its dtype or shape differ from the expected.</exception>
    /// <exception cref="ArgumentException"><paramref name="destination"/>'s length differs from the tensor's element count.</exception>
    public void CopyTo<T>(string name, ReadOnlySpan<int> expectedShape, Span<T> destination)
        where T : unmanaged
    {
        var tensor = GetTensor(name);
        if (!tensor.Shape.SequenceEqual(expectedShape))
        {
            throw new InvalidDataException(
                $"'{Source}': tensor '{name}' has shape {SafetensorsTensorInfo.FormatShape(tensor.Shape)}; expected {SafetensorsTensorInfo.FormatShape(expectedShape)}.");
        }

        CopyTo(name, destination);
    }

    /// <summary>
    /// Checks that the file holds exactly the expected tensors, each with the expected dtype and shape, and
    /// reports every difference at once.
    /// </summary>
    /// <param name="expected">The tensors a caller is about to load.</param>
    /// <param name="allowUnexpected">Whether tensors the caller does not expect may be present (ignored).</param>
    /// <exception cref="InvalidDataException">A tensor is missing, unexpected, or differs in dtype or shape; the message lists all.</exception>
    public void Verify(IEnumerable<SafetensorsTensorSpec> expected, bool allowUnexpected = false)
    {
        ArgumentNullException.ThrowIfNull(expected);
        var problems = new StringBuilder();
        var expectedNames = new HashSet<string>(StringComparer.Ordinal);
        foreach (var spec in expected)
        {
            expectedNames.Add(spec.Name);
            if (!_byName.TryGetValue(spec.Name, out var tensor))
            {
                problems.Append($"\n  missing tensor '{spec.Name}' ({SafetensorsDTypes.NameOf(spec.DType)} {SafetensorsTensorInfo.FormatShape(spec.Shape)})");
            }
            else if (tensor.DType != spec.DType || !tensor.Shape.SequenceEqual(spec.Shape))
            {
                problems.Append($"\n  tensor '{spec.Name}' is {SafetensorsDTypes.NameOf(tensor.DType)} {SafetensorsTensorInfo.FormatShape(tensor.Shape)}; expected {SafetensorsDTypes.NameOf(spec.DType)} {SafetensorsTensorInfo.FormatShape(spec.Shape)}");
            }
        }

        if (!allowUnexpected)
        {
            foreach (var tensor in _tensors)
            {
                if (!expectedNames.Contains(tensor.Name))
                {
                    problems.Append($"\n  unexpected tensor '{tensor.Name}' ({SafetensorsDTypes.NameOf(tensor.DType)} {SafetensorsTensorInfo.FormatShape(tensor.Shape)})");
                }
            }
        }

        if (problems.Length > 0)
        {
            throw new InvalidDataException($"'{Source}' does not hold the expected tensors:{problems}");
        }
    }

    /// <summary>The tensor of that name, positioned for reading, after checking its dtype and element count.</summary>
    private SafetensorsTensorInfo Locate(string name, SafetensorsDType dtype, int destinationLength)
    {
        var tensor = GetTensor(name);
        if (tensor.DType != dtype)
        {
            throw new InvalidDataException($"'{Source}': tensor '{name}' is {SafetensorsDTypes.NameOf(tensor.DType)}; expected {SafetensorsDTypes.NameOf(dtype)}.");
        }

        if (destinationLength != tensor.ElementCount)
        {
            throw new ArgumentException($"Expected a destination of {tensor.ElementCount} elements for tensor '{name}' (shape {SafetensorsTensorInfo.FormatShape(tensor.Shape)}), got {destinationLength}.", "destination");
        }

        _stream.Position = _dataStart + tensor.DataOffset;
        return tensor;
    }

    /// <summary>Reads the next bytes of a tensor's data, from where <see cref="Locate"/> or the last read left the stream.</summary>
    private void ReadData(SafetensorsTensorInfo tensor, Span<byte> bytes)
    {
        if (_stream.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false) < bytes.Length)
        {
            throw new InvalidDataException($"'{Source}' is truncated: it ends inside the data of tensor '{tensor.Name}'.");
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (!_leaveOpen)
        {
            _stream.Dispose();
        }
    }

    /// <summary>The data is little-endian and is copied byte for byte, which is only right on little-endian machines.</summary>
    internal static void ThrowIfBigEndian()
    {
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("SimdDescent reads and writes safetensors only on little-endian machines.");
        }
    }
}
