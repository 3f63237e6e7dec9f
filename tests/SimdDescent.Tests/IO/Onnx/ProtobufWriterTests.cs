using SimdDescent.IO.Onnx;

namespace SimdDescent.Tests.IO.Onnx;

/// <summary>The wire format against the worked examples of the protocol-buffers encoding guide.</summary>
public class ProtobufWriterTests
{
    [Fact]
    public void Varint_field_150_is_08_96_01()
    {
        var writer = new ProtobufWriter();
        writer.WriteVarint(1, 150);
        Assert.Equal([0x08, 0x96, 0x01], writer.Written.ToArray());
    }

    [Fact]
    public void Negative_int64_takes_ten_bytes_of_twos_complement()
    {
        var writer = new ProtobufWriter();
        writer.WriteVarint(1, -2);
        Assert.Equal([0x08, 0xFE, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01], writer.Written.ToArray());
    }

    [Fact]
    public void String_field_2_testing_is_length_prefixed_utf8()
    {
        var writer = new ProtobufWriter();
        writer.WriteString(2, "testing");
        Assert.Equal([0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6E, 0x67], writer.Written.ToArray());
    }

    [Fact]
    public void Float_is_fixed32_little_endian()
    {
        var writer = new ProtobufWriter();
        writer.WriteFloat(2, 1f);
        Assert.Equal([0x15, 0x00, 0x00, 0x80, 0x3F], writer.Written.ToArray());
    }

    [Fact]
    public void Nested_message_is_embedded_with_its_length_and_large_field_numbers_take_two_tag_bytes()
    {
        var inner = new ProtobufWriter();
        inner.WriteVarint(1, 150);
        var outer = new ProtobufWriter();
        outer.WriteMessage(3, inner);
        outer.WriteVarint(20, 1);
        Assert.Equal([0x1A, 0x03, 0x08, 0x96, 0x01, 0xA0, 0x01, 0x01], outer.Written.ToArray());
    }

    [Fact]
    public void Bytes_longer_than_127_get_a_two_byte_length()
    {
        var writer = new ProtobufWriter();
        writer.WriteBytes(9, new byte[300]);
        Assert.Equal([0x4A, 0xAC, 0x02], writer.Written[..3].ToArray());
        Assert.Equal(303, writer.Written.Length);
    }
}
