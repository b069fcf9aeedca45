using System.Buffers.Binary;
using System.Text;

namespace Engine.Interop.Onnx;

/// <summary>A protobuf message that can write itself in the wire format.</summary>
public interface IProtobufMessage
{
    /// <summary>Writes the message's fields (without a length prefix).</summary>
    /// <param name="writer">The destination.</param>
    void WriteTo(ProtobufWriter writer);
}

/// <summary>
/// The protocol-buffers wire format, for the few field kinds ONNX's messages need: each field is a tag
/// <c>(field number &lt;&lt; 3) | wire type</c> as a varint, then a varint (wire type 0: int32, int64, enums), four little-endian
/// bytes (wire type 5: float) or a varint length and that many bytes (wire type 2: strings, bytes, nested messages).
/// Varints are little-endian groups of 7 bits, the high bit set on every byte but the last; a negative integer is written as
/// its 64-bit two's complement, so it takes 10 bytes (the encoding of protobuf's <c>int32</c> and <c>int64</c>, not zigzag).
/// </summary>
public sealed class ProtobufWriter
{
    private const int Varint = 0, LengthDelimited = 2, Fixed32 = 5;
    private byte[] buffer = new byte[64];
    private int length;

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> Written => buffer.AsSpan(0, length);

    /// <summary>A varint field (protobuf <c>int32</c>, <c>int64</c> or an enum).</summary>
    /// <param name="field">The field number.</param>
    /// <param name="value">The value; a negative one takes 10 bytes.</param>
    public void Integer(int field, long value)
    {
        Tag(field, Varint);
        WriteVarint((ulong)value);
    }

    /// <summary>A <c>float</c> field: four little-endian bytes of the IEEE 754 single.</summary>
    /// <param name="field">The field number.</param>
    /// <param name="value">The value.</param>
    public void Float(int field, float value)
    {
        Tag(field, Fixed32);
        BinaryPrimitives.WriteSingleLittleEndian(Reserve(4), value);
    }

    /// <summary>A <c>string</c> field, UTF-8 encoded.</summary>
    /// <param name="field">The field number.</param>
    /// <param name="value">The text.</param>
    public void String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    /// <summary>A <c>bytes</c> field: the length as a varint, then the bytes.</summary>
    /// <param name="field">The field number.</param>
    /// <param name="value">The bytes.</param>
    public void Bytes(int field, ReadOnlySpan<byte> value)
    {
        Tag(field, LengthDelimited);
        WriteVarint((ulong)value.Length);
        value.CopyTo(Reserve(value.Length));
    }

    /// <summary>A nested message, length-delimited as a <c>bytes</c> field.</summary>
    /// <param name="field">The field number.</param>
    /// <param name="message">The message.</param>
    public void Message(int field, IProtobufMessage message) => Message(field, message.WriteTo);

    /// <summary>A nested message whose fields <paramref name="write"/> writes, length-delimited as a <c>bytes</c> field.</summary>
    /// <param name="field">The field number.</param>
    /// <param name="write">Writes the nested message's fields.</param>
    public void Message(int field, Action<ProtobufWriter> write)
    {
        var inner = new ProtobufWriter();
        write(inner);
        Bytes(field, inner.Written);
    }

    /// <summary>The encoding of a whole message.</summary>
    /// <param name="message">The message.</param>
    public static byte[] Encode(IProtobufMessage message)
    {
        var writer = new ProtobufWriter();
        message.WriteTo(writer);
        return writer.Written.ToArray();
    }

    private void Tag(int field, int wireType)
    {
        if (field <= 0 || field >= 1 << 29) throw new ArgumentOutOfRangeException(nameof(field), field, "A protobuf field number lies in [1, 2^29 − 1].");
        WriteVarint(((ulong)field << 3) | (uint)wireType);
    }

    private void WriteVarint(ulong value)
    {
        while (value >= 0x80)
        {
            Reserve(1)[0] = (byte)(value | 0x80);
            value >>= 7;
        }
        Reserve(1)[0] = (byte)value;
    }

    /// <summary>The next <paramref name="count"/> bytes of the buffer, grown as needed, counted as written.</summary>
    private Span<byte> Reserve(int count)
    {
        if (length + count > buffer.Length) Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length + count));
        length += count;
        return buffer.AsSpan(length - count, count);
    }
}
