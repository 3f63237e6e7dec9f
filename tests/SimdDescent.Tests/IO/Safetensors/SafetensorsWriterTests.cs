using System.Text;
using System.Text.Json;
using SimdDescent.IO.Safetensors;
using static SimdDescent.Tests.IO.Safetensors.SafetensorsBytes;

namespace SimdDescent.Tests.IO.Safetensors;

public sealed class SafetensorsWriterTests
{
    private static byte[] Bytes(SafetensorsWriter writer)
    {
        using var stream = new MemoryStream();
        writer.WriteTo(stream);
        return stream.ToArray();
    }

    [Fact]
    public void The_written_bytes_are_the_spec_layout_with_the_header_in_insertion_order_padded_to_eight()
    {
        float[] weight = [1, 2, 3, 4, 5, 6];
        double[] bias = [-0.5, 0.25];
        var writer = new SafetensorsWriter()
            .AddMetadata("format", "pt")
            .Add("0.weight", [2, 3], weight)
            .Add("0.bias", [2], bias);

        var bytes = Bytes(writer);

        const string json = """{"__metadata__":{"format":"pt"},"0.weight":{"dtype":"F32","shape":[2,3],"data_offsets":[0,24]},"0.bias":{"dtype":"F64","shape":[2],"data_offsets":[24,40]}}""";
        var padding = (8 - ((8 + json.Length) % 8)) % 8;
        var expected = Assemble(json + new string(' ', padding), Little(1f, 2, 3, 4, 5, 6).Concat(Little(-0.5, 0.25)).ToArray());
        Assert.Equal(expected, bytes);
        Assert.Equal(0, (8 + json.Length + padding) % 8);
    }

    [Fact]
    public void An_empty_writer_produces_an_empty_object_padded_to_eight_bytes()
    {
        Assert.Equal(Assemble("{}      ", []), Bytes(new SafetensorsWriter()));
    }

    [Fact]
    public void The_header_is_standard_JSON_that_another_parser_reads_the_same_way()
    {
        var writer = new SafetensorsWriter()
            .Add("layers.0.weight \"quoted\" ü", [3], new float[3])
            .Add("s", [], new double[] { 1 });

        var bytes = Bytes(writer);
        var headerLength = (int)BitConverter.ToUInt64(bytes, 0);
        using var document = JsonDocument.Parse(bytes.AsMemory(8, headerLength));

        var first = document.RootElement.GetProperty("layers.0.weight \"quoted\" ü");
        Assert.Equal("F32", first.GetProperty("dtype").GetString());
        Assert.Equal([3], first.GetProperty("shape").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([0L, 12], first.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()));
        var scalar = document.RootElement.GetProperty("s");
        Assert.Equal(0, scalar.GetProperty("shape").GetArrayLength());
        Assert.Equal([12L, 20], scalar.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()));
        Assert.Equal(bytes.Length, 8 + headerLength + 20);
    }

    [Fact]
    public void Save_then_Open_round_trips_every_tensor_and_the_metadata()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("model.safetensors");
        var arena = Enumerable.Range(0, 30).Select(i => i * 0.1f).ToArray();
        double[] extra = [Math.PI, double.MinValue, double.Epsilon];
        new SafetensorsWriter()
            .Add("0.weight", [4, 5], arena.AsMemory(0, 20))
            .Add("0.bias", [4], arena.AsMemory(20, 4))
            .Add("2.weight", [1, 4], arena.AsMemory(24, 4))
            .Add("2.bias", [1], arena.AsMemory(28, 1))
            .Add("extra", [3], extra)
            .Add("nothing", [0, 7], ReadOnlyMemory<float>.Empty)
            .AddMetadata("architecture", "784-128-10")
            .Save(path);

        using var file = SafetensorsFile.Open(path);

        Assert.Equal(["0.weight", "0.bias", "2.weight", "2.bias", "extra", "nothing"], file.Tensors.Select(t => t.Name));
        Assert.Equal("784-128-10", Assert.Single(file.Metadata).Value);
        var read = new float[30];
        file.CopyTo("0.weight", [4, 5], read.AsSpan(0, 20));
        file.CopyTo("0.bias", [4], read.AsSpan(20, 4));
        file.CopyTo("2.weight", [1, 4], read.AsSpan(24, 4));
        file.CopyTo("2.bias", [1], read.AsSpan(28, 1));
        Assert.Equal(arena[..29], read[..29]);
        var readExtra = new double[3];
        file.CopyTo("extra", readExtra.AsSpan());
        Assert.Equal(extra, readExtra);
        Assert.Equal(0, file.GetTensor("nothing").ElementCount);
    }

    [Fact]
    public void Save_replaces_an_existing_file_without_leaving_a_temporary_file()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("model.safetensors");
        File.WriteAllText(path, "an older checkpoint");

        new SafetensorsWriter().Add("w", [1], new float[] { 3 }).Save(path);

        using (var file = SafetensorsFile.Open(path))
        {
            Assert.Equal("w", Assert.Single(file.Tensors).Name);
        }

        Assert.Equal(["model.safetensors"], directory.FileNames());
    }

    [Fact]
    public void Add_rejects_duplicate_or_reserved_names_shapes_that_do_not_match_and_invalid_text()
    {
        var writer = new SafetensorsWriter().Add("w", [2], new float[2]);

        Assert.Contains("'w' was added before", Assert.Throws<ArgumentException>(() => writer.Add("w", [1], new double[1])).Message);
        Assert.Throws<ArgumentException>(() => writer.Add("__metadata__", [1], new float[1]));
        Assert.Contains("holds 6 elements; expected it to hold the data's 5", Assert.Throws<ArgumentException>(() => writer.Add("x", [2, 3], new float[5])).Message);
        Assert.Contains("more than int.MaxValue", Assert.Throws<ArgumentException>(() => writer.Add("x", [65536, 65536, 65536, 65536], new float[1])).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => writer.Add("x", [-1], new float[1]));
        Assert.Throws<ArgumentException>(() => writer.Add("bad\ud800", [1], new float[1]));
        Assert.Throws<ArgumentException>(() => writer.AddMetadata("k", "\udc00"));
        Assert.Throws<NotSupportedException>(() => writer.Add("h", [1], new ReadOnlyMemory<Half>(new Half[1])));
        writer.AddMetadata("k", "v");
        Assert.Throws<ArgumentException>(() => writer.AddMetadata("k", "again"));
        Assert.Equal(1, writer.Count);
    }

    [Fact]
    public void The_generic_Add_picks_the_dtype_from_the_element_type()
    {
        var writer = new SafetensorsWriter()
            .Add("f", [2], new ReadOnlyMemory<float>([1f, 2f]))
            .Add("d", [1], new ReadOnlyMemory<double>([3.0]));
        ReadOnlyMemory<float> view = new float[] { 0, 5, 6, 0 }.AsMemory(1, 2);
        writer.Add<float>("slice", [2], view);

        var bytes = Bytes(writer);

        Assert.Equal(Little(1f, 2f).Concat(Little(3.0)).Concat(Little(5f, 6f)), bytes[^24..]);
        using var file = SafetensorsFile.Read(new MemoryStream(bytes), "generic");
        Assert.Equal([SafetensorsDType.F32, SafetensorsDType.F64, SafetensorsDType.F32], file.Tensors.Select(t => t.DType));
    }

    [Fact]
    public void The_data_is_read_when_writing_not_when_adding()
    {
        var data = new float[] { 1 };
        var writer = new SafetensorsWriter().Add("w", [1], data);
        data[0] = 42;

        var bytes = Bytes(writer);

        Assert.Equal(Little(42f), bytes[^4..]);
    }

    [Fact]
    public void Header_text_is_UTF8_without_escaping_ordinary_names()
    {
        var bytes = Bytes(new SafetensorsWriter().Add("encoder.layers.0+1<2>", [1], new float[1]));

        Assert.Contains("\"encoder.layers.0+1<2>\"", Encoding.UTF8.GetString(bytes));
    }
}
