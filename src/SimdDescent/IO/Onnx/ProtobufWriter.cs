using System.Buffers;
using System.Buffers.Binary;
using System.Text;

namespace SimdDescent.IO.Onnx;

/// <summary>
/// The protocol-buffers wire format for the few field types an ONNX model needs: varints, 32-bit floats,
/// strings and bytes, and nested messages (written into their own writer, then embedded with their length).
/// </summary>
internal sealed class ProtobufWriter
{
    private const int VarintWire = 0;
    private const int LengthDelimitedWire = 2;
    private const int Fixed32Wire = 5;

    private readonly ArrayBufferWriter<byte> buffer = new();

    /// <summary>The encoded message so far.</summary>
    public ReadOnlySpan<byte> Written => buffer.WrittenSpan;

    /// <summary>An int32, int64 or enum field; negative values take ten bytes, as the format specifies.</summary>
    public void WriteVarint(int field, long value)
    {
        WriteTag(field, VarintWire);
        WriteRawVarint((ulong)value);
    }

    public void WriteFloat(int field, float value)
    {
        WriteTag(field, Fixed32Wire);
        BinaryPrimitives.WriteSingleLittleEndian(buffer.GetSpan(4), value);
        buffer.Advance(4);
    }

    public void WriteString(int field, string value)
    {
        WriteTag(field, LengthDelimitedWire);
        var length = Encoding.UTF8.GetByteCount(value);
        WriteRawVarint((ulong)length);
        buffer.Advance(Encoding.UTF8.GetBytes(value, buffer.GetSpan(length)));
    }

    public void WriteBytes(int field, ReadOnlySpan<byte> value)
    {
        WriteTag(field, LengthDelimitedWire);
        WriteRawVarint((ulong)value.Length);
        buffer.Write(value);
    }

    public void WriteMessage(int field, ProtobufWriter message) => WriteBytes(field, message.Written);

    private void WriteTag(int field, int wireType) => WriteRawVarint(((ulong)field << 3) | (uint)wireType);

    private void WriteRawVarint(ulong value)
    {
        var span = buffer.GetSpan(10);
        var count = 0;
        while (value >= 0x80)
        {
            span[count++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[count++] = (byte)value;
        buffer.Advance(count);
    }
}
