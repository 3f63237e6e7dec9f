using System.Text.Json;

namespace SimdDescent.IO.Safetensors;

/// <summary>
/// Parses and checks a safetensors JSON header: an object mapping each tensor name to
/// <c>{"dtype": ..., "shape": [...], "data_offsets": [begin, end]}</c>, plus an optional
/// <c>"__metadata__"</c> object of strings.
/// </summary>
/// <remarks>
/// Beyond well-formed JSON it enforces what the format requires of the data section: each tensor's byte
/// range matches its dtype × shape, and the ranges, in order, cover the data section exactly, with no
/// overlap and no hole. Unknown keys inside a tensor entry are skipped, as the reference implementation does.
/// </remarks>
internal static class SafetensorsHeader
{
    public const string MetadataKey = "__metadata__";

    // Three levels are all a valid header needs: the root, a tensor entry, its shape array.
    private static readonly JsonReaderOptions s_options = new() { MaxDepth = 3 };

    /// <summary>The tensors sorted by their data offset, and the metadata.</summary>
    public static (SafetensorsTensorInfo[] Tensors, Dictionary<string, string> Metadata) Parse(
        ReadOnlySpan<byte> json, long dataLength, string source)
    {
        var tensors = new List<SafetensorsTensorInfo>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var sawMetadata = false;
        try
        {
            var reader = new Utf8JsonReader(json, s_options);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw Invalid(source, "the header is not a JSON object");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = ReadString(ref reader, source);
                if (name == MetadataKey)
                {
                    if (sawMetadata)
                    {
                        throw Invalid(source, $"the header has two \"{MetadataKey}\" entries");
                    }

                    sawMetadata = true;
                    ReadMetadata(ref reader, metadata, source);
                }
                else
                {
                    if (!names.Add(name))
                    {
                        throw Invalid(source, $"the header names tensor '{name}' twice");
                    }

                    tensors.Add(ReadTensor(ref reader, name, dataLength, source));
                }
            }

            if (reader.Read())
            {
                throw Invalid(source, "the header has content after its JSON object");
            }
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{source}' is not a safetensors file: its header is not valid JSON ({e.Message}).", e);
        }

        var sorted = tensors.ToArray();
        // Empty tensors may share an offset with others; the name settles their order so it never varies.
        Array.Sort(sorted, static (a, b) =>
            a.DataOffset != b.DataOffset ? a.DataOffset.CompareTo(b.DataOffset)
            : a.ByteLength != b.ByteLength ? a.ByteLength.CompareTo(b.ByteLength)
            : string.CompareOrdinal(a.Name, b.Name));
        CheckCoverage(sorted, dataLength, source);
        return (sorted, metadata);
    }

    private static SafetensorsTensorInfo ReadTensor(ref Utf8JsonReader reader, string name, long dataLength, string source)
    {
        Expect(ref reader, JsonTokenType.StartObject, $"tensor '{name}' to be described by an object", source);
        string? dtypeName = null;
        int[]? shape = null;
        (ulong Begin, ulong End)? offsets = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = ReadString(ref reader, source);
            var duplicate = key switch
            {
                "dtype" => dtypeName is not null,
                "shape" => shape is not null,
                "data_offsets" => offsets is not null,
                _ => false,
            };
            if (duplicate)
            {
                throw Invalid(source, $"tensor '{name}' has two \"{key}\" entries");
            }

            switch (key)
            {
                case "dtype":
                    Expect(ref reader, JsonTokenType.String, $"the dtype of tensor '{name}' to be a string", source);
                    dtypeName = ReadString(ref reader, source);
                    break;
                case "shape":
                    shape = ReadShape(ref reader, name, source);
                    break;
                case "data_offsets":
                    offsets = ReadOffsets(ref reader, name, source);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        if (dtypeName is null || shape is null || offsets is null)
        {
            throw Invalid(source, $"tensor '{name}' lacks {(dtypeName is null ? "\"dtype\"" : shape is null ? "\"shape\"" : "\"data_offsets\"")}");
        }

        if (!SafetensorsDTypes.TryParse(dtypeName, out var dtype))
        {
            throw new InvalidDataException($"'{source}': tensor '{name}' has dtype '{dtypeName}'; SimdDescent reads only F32, F64 and I64.");
        }

        var (begin, end) = offsets.Value;
        if (begin > end || end > (ulong)dataLength)
        {
            throw Invalid(source, $"tensor '{name}' has data_offsets [{begin}, {end}], outside the {dataLength}-byte data section or reversed");
        }

        var elementCount = ElementCount(shape, name, source);
        var byteLength = (long)(end - begin);
        var size = SafetensorsDTypes.SizeOf(dtype);
        // Dividing rather than multiplying: the element count may be far too large to multiply safely.
        if (byteLength % size != 0 || byteLength / size != elementCount)
        {
            throw Invalid(source,
                $"tensor '{name}' ({dtypeName}, shape {SafetensorsTensorInfo.FormatShape(shape)}: {elementCount} elements) needs {(elementCount <= long.MaxValue / size ? $"{elementCount * size} bytes" : "more bytes than a file can hold")}, but its data_offsets span {byteLength}");
        }

        return new SafetensorsTensorInfo(name, dtype, shape, elementCount, (long)begin);
    }

    private static int[] ReadShape(ref Utf8JsonReader reader, string name, string source)
    {
        Expect(ref reader, JsonTokenType.StartArray, $"the shape of tensor '{name}' to be an array", source);
        var shape = new List<int>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out var size) || size < 0)
            {
                throw Invalid(source, $"the shape of tensor '{name}' holds something other than a dimension size 0..{int.MaxValue}");
            }

            shape.Add(size);
        }

        return [.. shape];
    }

    private static (ulong Begin, ulong End) ReadOffsets(ref Utf8JsonReader reader, string name, string source)
    {
        Expect(ref reader, JsonTokenType.StartArray, $"the data_offsets of tensor '{name}' to be an array", source);
        Span<ulong> offsets = stackalloc ulong[2];
        var count = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (count == 2 || reader.TokenType != JsonTokenType.Number || !reader.TryGetUInt64(out offsets[count]))
            {
                throw Invalid(source, $"the data_offsets of tensor '{name}' are not two non-negative integers");
            }

            count++;
        }

        if (count != 2)
        {
            throw Invalid(source, $"the data_offsets of tensor '{name}' are not two non-negative integers");
        }

        return (offsets[0], offsets[1]);
    }

    private static void ReadMetadata(ref Utf8JsonReader reader, Dictionary<string, string> metadata, string source)
    {
        Expect(ref reader, JsonTokenType.StartObject, $"\"{MetadataKey}\" to be an object", source);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = ReadString(ref reader, source);
            Expect(ref reader, JsonTokenType.String, $"the metadata value of '{key}' to be a string", source);
            if (!metadata.TryAdd(key, ReadString(ref reader, source)))
            {
                throw Invalid(source, $"the metadata names '{key}' twice");
            }
        }
    }

    private static long ElementCount(int[] shape, string name, string source)
    {
        long count = 1;
        foreach (var size in shape)
        {
            if (size == 0)
            {
                return 0;
            }
        }

        foreach (var size in shape)
        {
            if (count > long.MaxValue / size)
            {
                throw Invalid(source, $"the shape {SafetensorsTensorInfo.FormatShape(shape)} of tensor '{name}' has more elements than any file can hold");
            }

            count *= size;
        }

        return count;
    }

    /// <summary>The format requires the byte ranges, in order, to tile the data section exactly.</summary>
    private static void CheckCoverage(SafetensorsTensorInfo[] sorted, long dataLength, string source)
    {
        long expectedStart = 0;
        foreach (var tensor in sorted)
        {
            if (tensor.DataOffset != expectedStart)
            {
                var problem = tensor.DataOffset < expectedStart ? "overlaps the tensor before it" : "leaves a gap before it";
                throw Invalid(source, $"the data of tensor '{tensor.Name}' (from byte {tensor.DataOffset}) {problem}, which ends at byte {expectedStart}");
            }

            expectedStart += tensor.ByteLength;
        }

        if (expectedStart != dataLength)
        {
            throw Invalid(source, $"the tensors' data ends at byte {expectedStart} of a {dataLength}-byte data section; expected the tensors to fill it exactly");
        }
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type, string expectation, string source)
    {
        if (!reader.Read() || reader.TokenType != type)
        {
            throw Invalid(source, $"expected {expectation}");
        }
    }

    private static string ReadString(ref Utf8JsonReader reader, string source)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            // Raised for text that is not valid UTF-8 or holds a lone escaped surrogate.
            throw new InvalidDataException($"'{source}' is not a valid safetensors file: its header holds a string that is not valid Unicode.", e);
        }
    }

    private static InvalidDataException Invalid(string source, string problem) =>
        new($"'{source}' is not a valid safetensors file: {problem}.");
}
