using SimdDescent.IO.Safetensors;
using static SimdDescent.Tests.IO.Safetensors.SafetensorsBytes;

namespace SimdDescent.Tests.IO.Safetensors;

public sealed class SafetensorsFileTests
{
    private static SafetensorsFile Read(byte[] bytes) => SafetensorsFile.Read(new MemoryStream(bytes), "test.safetensors");

    private static InvalidDataException Rejects(byte[] bytes) => Assert.Throws<InvalidDataException>(() => Read(bytes).Dispose());

    [Fact]
    public void A_file_assembled_by_hand_reads_back_names_dtypes_shapes_metadata_and_data()
    {
        // "0.bias" is stored first, "0.weight" second; the header lists them the other way round.
        const string header = """{"0.weight":{"dtype":"F32","shape":[2,2],"data_offsets":[16,32]},"__metadata__":{"format":"pt"},"0.bias":{"dtype":"F64","shape":[2],"data_offsets":[0,16]}}  """;
        var data = Little(0.5, -3.25).Concat(Little(1f, 2f, -0.125f, 1e-3f)).ToArray();
        using var file = Read(Assemble(header, data));

        Assert.Equal(["0.bias", "0.weight"], file.Tensors.Select(t => t.Name));
        var weight = file.GetTensor("0.weight");
        Assert.Equal(SafetensorsDType.F32, weight.DType);
        Assert.Equal([2, 2], weight.Shape.ToArray());
        Assert.Equal(4, weight.ElementCount);
        Assert.Equal(16, weight.DataOffset);
        Assert.Equal(16, weight.ByteLength);
        Assert.Equal("pt", file.Metadata["format"]);

        var weights = new float[4];
        file.CopyTo("0.weight", [2, 2], weights.AsSpan());
        Assert.Equal([1f, 2f, -0.125f, 1e-3f], weights);
        var bias = new double[2];
        file.CopyTo("0.bias", bias.AsSpan());
        Assert.Equal([0.5, -3.25], bias);
    }

    [Fact]
    public void Scalars_empty_tensors_and_an_empty_header_are_valid()
    {
        const string header = """{"empty":{"dtype":"F32","shape":[3,0],"data_offsets":[0,0]},"scalar":{"dtype":"F64","shape":[],"data_offsets":[0,8]}}""";
        using var file = Read(Assemble(header, Little(7.0)));

        Assert.Equal(0, file.GetTensor("empty").ElementCount);
        Assert.Equal(1, file.GetTensor("scalar").ElementCount);
        var scalar = new double[1];
        file.CopyTo("scalar", ReadOnlySpan<int>.Empty, scalar.AsSpan());
        Assert.Equal(7.0, scalar[0]);

        using var empty = Read(Assemble("{}", []));
        Assert.Empty(empty.Tensors);
        Assert.Empty(empty.Metadata);
    }

    [Fact]
    public void Unknown_keys_in_a_tensor_entry_are_ignored()
    {
        using var file = Read(Assemble("""{"a":{"note":[1,2],"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", Little(1f)));

        Assert.Equal(SafetensorsDType.F32, file.GetTensor("a").DType);
    }

    [Fact]
    public void A_file_may_start_anywhere_in_a_stream()
    {
        var bytes = new byte[] { 9, 9, 9 }.Concat(Assemble("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", Little(2.5f))).ToArray();
        var stream = new MemoryStream(bytes) { Position = 3 };
        using var file = SafetensorsFile.Read(stream, "embedded", leaveOpen: true);

        var value = new float[1];
        file.CopyTo("a", value.AsSpan());

        Assert.Equal(2.5f, value[0]);
    }

    public static TheoryData<string, byte[], string> MalformedFiles
    {
        get
        {
            const string a4 = "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}";
            var four = Little(1f);
            return new()
            {
                { "shorter than the length prefix", [1, 0, 0], "fewer than the 8-byte header length" },
                { "header length beyond the file", Assemble("{}", [], declaredHeaderLength: 3), "exceeds the 2 bytes that follow it" },
                { "absurd header length", Assemble("{}", [], declaredHeaderLength: ulong.MaxValue), "exceeds the limit of 100000000 bytes" },
                { "header is an array", Assemble("[]", []), "the header is not a JSON object" },
                { "header is a number", Assemble("42", []), "the header is not a JSON object" },
                { "empty header", Assemble("", []), "not valid JSON" },
                { "unterminated object", Assemble("{", []), "not valid JSON" },
                { "missing value", Assemble("{\"a\":}", []), "not valid JSON" },
                { "two objects", Assemble("{}{}", []), "not valid JSON" },
                { "too deep", Assemble("{\"a\":{\"x\":{\"y\":{}}}}", []), "not valid JSON" },
                { "tensor entry not an object", Assemble("{\"a\":3}", []), "expected tensor 'a' to be described by an object" },
                { "unsupported dtype", Assemble("{\"a\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[0,4]}}", four), "tensor 'a' has dtype 'F16'; SimdDescent reads only F32, F64 and I64" },
                { "unknown dtype", Assemble("{\"a\":{\"dtype\":\"float\",\"shape\":[1],\"data_offsets\":[0,4]}}", four), "dtype 'float'" },
                { "dtype not a string", Assemble("{\"a\":{\"dtype\":32,\"shape\":[1],\"data_offsets\":[0,4]}}", four), "expected the dtype of tensor 'a' to be a string" },
                { "missing shape", Assemble("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", four), "tensor 'a' lacks \"shape\"" },
                { "missing offsets", Assemble("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", four), "tensor 'a' lacks \"data_offsets\"" },
                { "missing dtype", Assemble("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", four), "tensor 'a' lacks \"dtype\"" },
                { "repeated key", Assemble("{\"a\":{\"dtype\":\"F32\",\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", four), "tensor 'a' has two \"dtype\" entries" },
                { "shape not an array", Assemble("{\"a\":{\"dtype\":\"F32\",\"shape\":1,\"data_offsets\":[0,4]}}", four), "expected the shape of tensor 'a' to be an array" },
                { "negative dimension", Assemble("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", four), "the shape of tensor 'a' holds something other than a dimension size" },
                { "fractional dimension", Assemble("{\"a\":{\"dtype\":\"F32\",\"shape\":[1.5],\"data_offsets\":[0,4]}}", four), "holds something other than a dimension size" },
                { "dimension beyond int", Assemble("{\"a\":{\"dtype\":\"F32\",\"shape\":[4294967297],\"data_offsets\":[0,4]}}", four), "holds something other than a dimension size" },
                { "overflowing shape", Assemble("{\"a\":{\"dtype\":\"F32\",\"shape\":[2147483647,2147483647,2147483647],\"data_offsets\":[0,4]}}", four), "has more elements than any file can hold" },
                { "shape larger than its bytes", Assemble("{\"a\":{\"dtype\":\"F32\",\"shape\":[65536,65536],\"data_offsets\":[0,4]}}", four), "needs 17179869184 bytes, but its data_offsets span 4" },
                { "bytes not matching dtype", Assemble("{\"a\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,4]}}", four), "(F64, shape [1]: 1 elements) needs 8 bytes, but its data_offsets span 4" },
                { "reversed offsets", Assemble("{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[4,0]}}", four), "reversed" },
                { "offsets past the data", Assemble("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", four), "outside the 4-byte data section" },
                { "huge offsets", Assemble("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[18446744073709551611,18446744073709551615]}}", four), "outside the 4-byte data section" },
                { "offsets beyond u64", Assemble("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,18446744073709551616]}}", four), "are not two non-negative integers" },
                { "negative offset", Assemble("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[-4,0]}}", four), "are not two non-negative integers" },
                { "three offsets", Assemble("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4,8]}}", four), "are not two non-negative integers" },
                { "one offset", Assemble("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", four), "are not two non-negative integers" },
                { "overlapping tensors", Assemble("{" + a4 + ",\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", Little(1f, 2f)), "overlaps the tensor before it" },
                { "gap between tensors", Assemble("{" + a4 + ",\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}", Little(1f, 2f, 3f)), "the data of tensor 'b' (from byte 8) leaves a gap before it" },
                { "unindexed trailing data", Assemble("{" + a4 + "}", Little(1f, 2f)), "the tensors' data ends at byte 4 of a 8-byte data section" },
                { "duplicate tensor", Assemble("{" + a4 + "," + a4 + "}", four), "the header names tensor 'a' twice" },
                { "metadata not an object", Assemble("{\"__metadata__\":[]}", []), "expected \"__metadata__\" to be an object" },
                { "metadata value not a string", Assemble("{\"__metadata__\":{\"epoch\":3}}", []), "expected the metadata value of 'epoch' to be a string" },
                { "duplicate metadata key", Assemble("{\"__metadata__\":{\"k\":\"1\",\"k\":\"2\"}}", []), "the metadata names 'k' twice" },
                { "two metadata entries", Assemble("{\"__metadata__\":{},\"__metadata__\":{}}", []), "two \"__metadata__\" entries" },
                { "lone escaped surrogate in a name", Assemble("{\"\\ud800\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", four), "not valid" },
                { "invalid UTF-8 in a name", Assemble([(byte)'{', (byte)'"', 0xFF, (byte)'"', (byte)':', (byte)'{', (byte)'}', (byte)'}'], []), "not valid" },
            };
        }
    }

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public void Malformed_files_are_rejected_with_a_clear_message(string _, byte[] bytes, string expectedMessage)
    {
        var error = Rejects(bytes);

        Assert.Contains("'test.safetensors'", error.Message);
        Assert.Contains(expectedMessage, error.Message);
    }

    [Fact]
    public void A_header_length_beyond_the_file_allocates_nothing_large()
    {
        var bytes = Assemble("{}", [], declaredHeaderLength: 90_000_000);
        var before = GC.GetAllocatedBytesForCurrentThread();

        Rejects(bytes);

        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 100_000);
    }

    [Fact]
    public void A_file_cut_inside_its_data_is_rejected()
    {
        var whole = Assemble("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", Little(1f, 2f));

        var error = Rejects(whole[..^1]);

        Assert.Contains("outside the 7-byte data section", error.Message);
    }

    [Fact]
    public void An_I64_tensor_reads_converted_across_the_read_buffer_and_not_as_floats()
    {
        // 600 values span three 256-element reads; 2^53 + 1 has no double and rounds to 2^53, 2^24 + 1 to 2^24 in float.
        var values = Enumerable.Range(0, 600).Select(i => (long)(i * 7919) - 1_000_000).ToArray();
        values[599] = (1L << 53) + 1;
        values[300] = (1L << 24) + 1;
        const string header = """{"counts":{"dtype":"I64","shape":[600],"data_offsets":[0,4800]}}""";
        using var file = Read(Assemble(header, Little(values)));

        var asDouble = new double[600];
        file.CopyIntegersTo("counts", asDouble.AsSpan());
        var asFloat = new float[600];
        file.CopyIntegersTo("counts", asFloat.AsSpan());

        Assert.Equal(values.Select(v => (double)v), asDouble);
        Assert.Equal(9007199254740992.0, asDouble[599]);
        Assert.Equal(values.Select(v => (float)v), asFloat);
        Assert.Equal(16777216f, asFloat[300]);
        var error = Assert.Throws<InvalidDataException>(() => file.CopyTo("counts", new double[600].AsSpan()));
        Assert.Contains("tensor 'counts' is I64; expected F64", error.Message);
        Assert.Throws<ArgumentException>(() => file.CopyIntegersTo("counts", new double[599].AsSpan()));
    }

    [Fact]
    public void Copying_integers_from_a_float_tensor_or_a_cut_file_fails_clearly()
    {
        var bytes = Assemble("""{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"n":{"dtype":"I64","shape":[],"data_offsets":[8,16]}}""", [.. Little(1f, 2f), .. Little(5L)]);
        using (var file = Read(bytes))
        {
            var error = Assert.Throws<InvalidDataException>(() => file.CopyIntegersTo("a", new float[2].AsSpan()));
            Assert.Contains("tensor 'a' is F32; expected I64", error.Message);
        }

        using var stream = new MemoryStream(bytes);
        using var cut = SafetensorsFile.Read(stream, "cut.safetensors");
        stream.SetLength(bytes.Length - 1);
        var truncated = Assert.Throws<InvalidDataException>(() => cut.CopyIntegersTo("n", new double[1].AsSpan()));
        Assert.Contains("ends inside the data of tensor 'n'", truncated.Message);
    }

    private static SafetensorsFile TwoLayerFile() => Read(Assemble(
        """{"0.weight":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},"0.bias":{"dtype":"F32","shape":[2],"data_offsets":[24,32]},"2.weight":{"dtype":"F64","shape":[1,2],"data_offsets":[32,48]}}""",
        new byte[48]));

    [Fact]
    public void Verify_accepts_exactly_the_expected_tensors_in_any_order()
    {
        using var file = TwoLayerFile();

        file.Verify(
        [
            new("2.weight", SafetensorsDType.F64, [1, 2]),
            new("0.weight", SafetensorsDType.F32, [2, 3]),
            new("0.bias", SafetensorsDType.F32, [2]),
        ]);
    }

    [Fact]
    public void Verify_lists_every_missing_unexpected_and_mismatched_tensor()
    {
        using var file = TwoLayerFile();

        var error = Assert.Throws<InvalidDataException>(() => file.Verify(
        [
            new("0.weight", SafetensorsDType.F32, [3, 2]),
            new("0.bias", SafetensorsDType.F64, [2]),
            new("4.weight", SafetensorsDType.F32, [10, 2]),
        ]));

        Assert.Contains("tensor '0.weight' is F32 [2, 3]; expected F32 [3, 2]", error.Message);
        Assert.Contains("tensor '0.bias' is F32 [2]; expected F64 [2]", error.Message);
        Assert.Contains("missing tensor '4.weight' (F32 [10, 2])", error.Message);
        Assert.Contains("unexpected tensor '2.weight' (F64 [1, 2])", error.Message);
    }

    [Fact]
    public void Verify_can_ignore_unexpected_tensors()
    {
        using var file = TwoLayerFile();

        file.Verify([new("0.bias", SafetensorsDType.F32, [2])], allowUnexpected: true);
    }

    [Fact]
    public void CopyTo_checks_the_name_dtype_shape_and_destination_length()
    {
        using var file = TwoLayerFile();

        Assert.Contains("has no tensor 'nope'", Assert.Throws<InvalidDataException>(() => file.CopyTo("nope", new float[1].AsSpan())).Message);
        Assert.Contains("tensor '2.weight' is F64; expected F32", Assert.Throws<InvalidDataException>(() => file.CopyTo("2.weight", new float[2].AsSpan())).Message);
        Assert.Contains("has shape [2, 3]; expected [6]", Assert.Throws<InvalidDataException>(() => file.CopyTo("0.weight", [6], new float[6].AsSpan())).Message);
        Assert.Contains("Expected a destination of 6 elements", Assert.Throws<ArgumentException>(() => file.CopyTo("0.weight", new float[5].AsSpan())).Message);
        Assert.Throws<NotSupportedException>(() => file.CopyTo("0.weight", new int[6].AsSpan()));
        Assert.False(file.TryGetTensor("nope", out _));
        Assert.True(file.TryGetTensor("0.bias", out var bias));
        Assert.Equal("0.bias: F32 [2]", bias.ToString());
    }

    [Fact]
    public void Read_rejects_a_stream_that_cannot_seek()
    {
        var stream = new NonSeekableStream();

        Assert.Throws<ArgumentException>(() => SafetensorsFile.Read(stream, "pipe"));
    }

    [Fact]
    public void Open_reads_a_file_and_names_it_in_messages()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.Write("bad.safetensors", Assemble("[]", []));

        var error = Assert.Throws<InvalidDataException>(() => SafetensorsFile.Open(path));

        Assert.Contains($"'{path}'", error.Message);
    }

    private sealed class NonSeekableStream : MemoryStream
    {
        public override bool CanSeek => false;
    }
}
