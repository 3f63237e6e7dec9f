using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace SimdDescent.IO.Safetensors;

/// <summary>
/// Writes named F32 and F64 tensors as a safetensors file: the header lists the tensors in the order they
/// were added (optionally preceded by <c>__metadata__</c>), padded with spaces so the data starts at a
/// multiple of 8 bytes, as the format allows; the data follows in the same order, little-endian.
/// </summary>
/// <remarks>
/// <see cref="Add(string, ReadOnlySpan{int}, ReadOnlyMemory{float})"/> keeps a reference to the caller's memory
/// (a slice of a parameter arena, say) and reads it only when the file is written; no data is copied.
/// </remarks>
public sealed class SafetensorsWriter
{
    private static readonly JsonWriterOptions s_jsonOptions = new()
    {
        // Names such as "0.weight" stay readable; the header is not embedded in HTML, so no need to escape for it.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly UTF8Encoding s_strictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly List<Entry> _tensors = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);
    private readonly List<KeyValuePair<string, string>> _metadata = [];

    /// <summary>The number of tensors added.</summary>
    public int Count => _tensors.Count;

    /// <summary>Adds an F32 tensor.</summary>
    /// <param name="name">A unique name other than <c>__metadata__</c>, e.g. <c>0.weight</c>.</param>
    /// <param name="shape">The dimension sizes, outermost first; their product must equal the data's length. Empty for a scalar.</param>
    /// <param name="data">The elements, row-major; read when the file is written.</param>
    /// <returns>This writer, for chaining.</returns>
    /// <exception cref="ArgumentException">The name is taken, reserved or not valid Unicode, or the shape does not match the data.</exception>
    public SafetensorsWriter Add(string name, ReadOnlySpan<int> shape, ReadOnlyMemory<float> data) =>
        Add(new Entry(name, SafetensorsDType.F32, CheckShape(name, shape, data.Length), data, default));

    /// <summary>Adds an F64 tensor.</summary>
    /// <param name="name">A unique name other than <c>__metadata__</c>.</param>
    /// <param name="shape">The dimension sizes, outermost first; their product must equal the data's length. Empty for a scalar.</param>
    /// <param name="data">The elements, row-major; read when the file is written.</param>
    /// <returns>This writer, for chaining.</returns>
    /// <exception cref="ArgumentException">The name is taken, reserved or not valid Unicode, or the shape does not match the data.</exception>
    public SafetensorsWriter Add(string name, ReadOnlySpan<int> shape, ReadOnlyMemory<double> data) =>
        Add(new Entry(name, SafetensorsDType.F64, CheckShape(name, shape, data.Length), default, data));

    /// <summary>Adds an F32 tensor when <typeparamref name="T"/> is <see cref="float"/>, an F64 tensor when it is <see cref="double"/>.</summary>
    /// <param name="name">A unique name other than <c>__metadata__</c>.</param>
    /// <param name="shape">The dimension sizes, outermost first; their product must equal the data's length. Empty for a scalar.</param>
    /// <param name="data">The elements, row-major; read when the file is written.</param>
    /// <returns>This writer, for chaining.</returns>
    /// <exception cref="ArgumentException">The name is taken, reserved or not valid Unicode, or the shape does not match the data.</exception>
    /// <exception cref="NotSupportedException"><typeparamref name="T"/> is neither <see cref="float"/> nor <see cref="double"/>.</exception>
    public SafetensorsWriter Add<T>(string name, ReadOnlySpan<int> shape, ReadOnlyMemory<T> data)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        // A ReadOnlyMemory's layout (owner, index, length) does not depend on its element type, so once the
        // type is known to be float or double the reinterpretation is exact.
        return SafetensorsDTypes.Of<T>() == SafetensorsDType.F32
            ? Add(name, shape, Unsafe.As<ReadOnlyMemory<T>, ReadOnlyMemory<float>>(ref data))
            : Add(name, shape, Unsafe.As<ReadOnlyMemory<T>, ReadOnlyMemory<double>>(ref data));
    }

    /// <summary>Adds a <c>__metadata__</c> entry (free-form text, e.g. the format version or the architecture).</summary>
    /// <returns>This writer, for chaining.</returns>
    /// <exception cref="ArgumentException">The key was added before, or the text is not valid Unicode.</exception>
    public SafetensorsWriter AddMetadata(string key, string value)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        CheckUnicode(key, nameof(key));
        CheckUnicode(value, nameof(value));
        foreach (var entry in _metadata)
        {
            if (entry.Key == key)
            {
                throw new ArgumentException($"Expected unique metadata keys; '{key}' was added before.", nameof(key));
            }
        }

        _metadata.Add(new(key, value));
        return this;
    }

    /// <summary>Writes the file to <paramref name="stream"/> at its current position.</summary>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        SafetensorsFile.ThrowIfBigEndian();
        var header = BuildHeader();
        Span<byte> prefix = stackalloc byte[sizeof(ulong)];
        BinaryPrimitives.WriteUInt64LittleEndian(prefix, (ulong)header.WrittenCount);
        stream.Write(prefix);
        stream.Write(header.WrittenSpan);
        foreach (var tensor in _tensors)
        {
            stream.Write(tensor.Bytes);
        }
    }

    /// <summary>
    /// Writes the file to <paramref name="path"/> atomically (a temporary file in the same directory, flushed,
    /// then moved over the target): an existing file is replaced only once the new one is complete on disk.
    /// </summary>
    public void Save(string path) => AtomicFile.Write(path, this, static (stream, writer) => writer.WriteTo(stream));

    private ArrayBufferWriter<byte> BuildHeader()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var json = new Utf8JsonWriter(buffer, s_jsonOptions))
        {
            json.WriteStartObject();
            if (_metadata.Count > 0)
            {
                json.WriteStartObject(SafetensorsHeader.MetadataKey);
                foreach (var (key, value) in _metadata)
                {
                    json.WriteString(key, value);
                }

                json.WriteEndObject();
            }

            long offset = 0;
            foreach (var tensor in _tensors)
            {
                json.WriteStartObject(tensor.Name);
                json.WriteString("dtype", SafetensorsDTypes.NameOf(tensor.DType));
                json.WriteStartArray("shape");
                foreach (var size in tensor.Shape)
                {
                    json.WriteNumberValue(size);
                }

                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                offset += tensor.Bytes.Length;
                json.WriteNumberValue(offset);
                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        // Trailing spaces are valid JSON whitespace; they align the data section to 8 bytes.
        var padding = (int)((8 - ((sizeof(ulong) + buffer.WrittenCount) % 8)) % 8);
        buffer.GetSpan(padding)[..padding].Fill((byte)' ');
        buffer.Advance(padding);
        return buffer;
    }

    private SafetensorsWriter Add(Entry entry)
    {
        if (!_names.Add(entry.Name))
        {
            throw new ArgumentException($"Expected unique tensor names; '{entry.Name}' was added before.", "name");
        }

        _tensors.Add(entry);
        return this;
    }

    private static int[] CheckShape(string name, ReadOnlySpan<int> shape, int dataLength)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (name == SafetensorsHeader.MetadataKey)
        {
            throw new ArgumentException($"'{SafetensorsHeader.MetadataKey}' is reserved for metadata; expected another tensor name.", nameof(name));
        }

        CheckUnicode(name, nameof(name));
        // Capped just above any span length, the product can neither overflow nor match by accident.
        const long cap = (long)int.MaxValue + 1;
        long product = 1;
        foreach (var size in shape)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(size, nameof(shape));
            product = Math.Min(product * size, cap);
        }

        if (product != dataLength)
        {
            throw new ArgumentException($"Tensor '{name}' has shape {SafetensorsTensorInfo.FormatShape(shape)}, which holds {(product == cap ? "more than int.MaxValue" : product)} elements; expected it to hold the data's {dataLength}.", nameof(shape));
        }

        return shape.ToArray();
    }

    private static void CheckUnicode(string text, string parameterName)
    {
        try
        {
            s_strictUtf8.GetByteCount(text);
        }
        catch (EncoderFallbackException e)
        {
            throw new ArgumentException($"Expected valid Unicode text; '{text}' holds a lone surrogate.", parameterName, e);
        }
    }

    private readonly record struct Entry(string Name, SafetensorsDType DType, int[] Shape, ReadOnlyMemory<float> Single, ReadOnlyMemory<double> Double)
    {
        public ReadOnlySpan<byte> Bytes => DType == SafetensorsDType.F32
            ? MemoryMarshal.AsBytes(Single.Span)
            : MemoryMarshal.AsBytes(Double.Span);
    }
}
