/// The wire format the exporter writes, byte for byte against the protobuf encoding guide's examples, and read back.
module ProtobufFacts

open System
open Xunit
open Engine.Interop.Onnx

let private written (write: ProtobufWriter -> unit) =
    let writer = ProtobufWriter()
    write writer
    writer.Written.ToArray()

[<Fact>]
let ``a varint field is the tag then 7-bit groups, low first: field 1 = 150 is 08 96 01 (the encoding guide's example)`` () =
    Assert.Equal<byte[]>([| 0x08uy; 0x96uy; 0x01uy |], written (fun w -> w.Integer(1, 150L)))

[<Fact>]
let ``a negative integer is its 64-bit two's complement in 10 bytes`` () =
    Assert.Equal<byte[]>([| 0x18uy; 0xFFuy; 0xFFuy; 0xFFuy; 0xFFuy; 0xFFuy; 0xFFuy; 0xFFuy; 0xFFuy; 0xFFuy; 0x01uy |], written (fun w -> w.Integer(3, -1L)))

[<Fact>]
let ``field numbers of 16 and above take a two-byte tag: field 20 = 7 is A0 01 07`` () =
    Assert.Equal<byte[]>([| 0xA0uy; 0x01uy; 0x07uy |], written (fun w -> w.Integer(20, 7L)))

[<Fact>]
let ``a string is length-delimited: field 2 = "testing" is 12 07 then the bytes (the encoding guide's example)`` () =
    Assert.Equal<byte[]>(Array.append [| 0x12uy; 0x07uy |] "testing"B, written (fun w -> w.String(2, "testing")))

[<Fact>]
let ``a float is four little-endian bytes: field 2 = 1.0 is 15 00 00 80 3F`` () =
    Assert.Equal<byte[]>([| 0x15uy; 0x00uy; 0x00uy; 0x80uy; 0x3Fuy |], written (fun w -> w.Float(2, 1.0f)))

[<Fact>]
let ``a nested message is its encoding length-delimited: field 3 holding field 1 = 150 is 1A 03 08 96 01 (the guide's example)`` () =
    Assert.Equal<byte[]>([| 0x1Auy; 0x03uy; 0x08uy; 0x96uy; 0x01uy |], written (fun w -> w.Message(3, fun inner -> inner.Integer(1, 150L))))

[<Fact>]
let ``a long payload gets a multi-byte length and the buffer grows past its first 64 bytes`` () =
    let payload = Array.init 300 byte
    let bytes = written (fun w -> w.Bytes(9, ReadOnlySpan payload))
    Assert.Equal<byte[]>([| 0x4Auy; 0xACuy; 0x02uy |], bytes[0..2])
    Assert.Equal<byte[]>(payload, bytes[3..])

[<Fact>]
let ``field numbers outside 1 to 2^29 - 1 are rejected`` () =
    Assert.Throws<ArgumentOutOfRangeException>(fun () -> written (fun w -> w.Integer(0, 1L)) |> ignore) |> ignore
    Assert.Throws<ArgumentOutOfRangeException>(fun () -> written (fun w -> w.Integer(1 <<< 29, 1L)) |> ignore) |> ignore

[<Fact>]
let ``varints of every length read back, 0 to 2^64 - 1`` () =
    for value in [ 0L; 1L; 127L; 128L; 16383L; 16384L; Int64.MaxValue; Int64.MinValue; -2L ] do
        let fields = Protobuf.parse (written (fun w -> w.Integer(5, value)))
        Assert.Equal(value, Protobuf.integer 5 fields)

[<Fact>]
let ``a tensor stores its dims, type, name and little-endian raw data; float32 rounds each value to nearest`` () =
    let fields = Protobuf.parse (ProtobufWriter.Encode(TensorProto.Real("w", OnnxDataType.Float, [| 2L; 1L |], ReadOnlySpan [| 0.1; -2.5 |])))
    Assert.Equal<int64 list>([ 2L; 1L ], Protobuf.integers 1 fields)
    Assert.Equal(1L, Protobuf.integer 2 fields)
    Assert.Equal("w", Protobuf.string 8 fields)
    let raw = Protobuf.messages 9 fields |> List.exactlyOne
    Assert.Equal<float32[]>([| 0.1f; -2.5f |], [| BitConverter.ToSingle(raw, 0); BitConverter.ToSingle(raw, 4) |])
    let doubles = Protobuf.parse (ProtobufWriter.Encode(TensorProto.Real("w", OnnxDataType.Double, [||], ReadOnlySpan [| 0.1 |])))
    Assert.Equal(0.1, BitConverter.ToDouble(Protobuf.messages 9 doubles |> List.exactlyOne, 0))
    Assert.Empty(Protobuf.integers 1 doubles)

[<Fact>]
let ``a tensor whose dims do not hold its values, or of a non-real type, is rejected naming the problem`` () =
    let e = Assert.Throws<ArgumentException>(fun () -> TensorProto.Real("w", OnnxDataType.Float, [| 2L; 2L |], ReadOnlySpan [| 1.0 |]) |> ignore)
    Assert.Contains("dims [2, 2] holds 4 values, but 1 were given", e.Message)
    let e = Assert.Throws<ArgumentException>(fun () -> TensorProto.Real("w", OnnxDataType.Int64, [| 1L |], ReadOnlySpan [| 1.0 |]) |> ignore)
    Assert.Contains("Float or Double", e.Message)

[<Fact>]
let ``attributes carry their type discriminator: FLOAT 1 with f, INT 2 with i, INTS 7 with repeated ints`` () =
    let f = Protobuf.parse (ProtobufWriter.Encode(AttributeProto.Float("alpha", 0.5f)))
    Assert.Equal("alpha", Protobuf.string 1 f)
    Assert.Contains((2, Protobuf.Fixed32(BitConverter.SingleToUInt32Bits 0.5f)), f)
    Assert.Equal(1L, Protobuf.integer 20 f)
    let i = Protobuf.parse (ProtobufWriter.Encode(AttributeProto.Int("axis", -1L)))
    Assert.Equal((-1L, 2L), (Protobuf.integer 3 i, Protobuf.integer 20 i))
    let ints = Protobuf.parse (ProtobufWriter.Encode(AttributeProto.Ints("pads", 0L, 1L, 1L, 0L)))
    Assert.Equal<int64 list>([ 0L; 1L; 1L; 0L ], Protobuf.integers 8 ints)
    Assert.Equal(7L, Protobuf.integer 20 ints)

[<Fact>]
let ``a value's type is tensor_type with elem_type and shape; the batch is a dim_param, the others dim_value`` () =
    let fields = Protobuf.parse (ProtobufWriter.Encode(ValueInfoProto("input", OnnxDataType.Double, [| OnnxDimension.op_Implicit "N"; OnnxDimension.op_Implicit 4L |])))
    Assert.Equal("input", Protobuf.string 1 fields)
    let tensor = Protobuf.messages 2 fields |> List.exactlyOne |> Protobuf.parse |> Protobuf.messages 1 |> List.exactlyOne |> Protobuf.parse
    Assert.Equal(11L, Protobuf.integer 1 tensor)
    let dims = tensor |> Protobuf.messages 2 |> List.exactlyOne |> Protobuf.parse |> Protobuf.messages 1 |> List.map Protobuf.parse
    Assert.Equal("N", Protobuf.string 2 dims[0])
    Assert.Equal(4L, Protobuf.integer 1 dims[1])

[<Fact>]
let ``an int64 tensor whose dims do not hold its values is rejected`` () =
    let e = Assert.Throws<ArgumentException>(fun () -> TensorProto.Int64("shape", [| 3L |], ReadOnlySpan [| 1L; 2L |]) |> ignore)
    Assert.Contains("holds 3 values, but 2 were given", e.Message)
