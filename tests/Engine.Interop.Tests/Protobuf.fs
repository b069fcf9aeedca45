/// A protobuf wire-format reader, the oracle for what the exporter writes: it splits a message into its fields.
module Protobuf

open System
open System.Text

/// One field's value as the wire format carries it.
type Value =
    | Varint of uint64
    | Fixed32 of uint32
    | Fixed64 of uint64
    | Bytes of byte[]

let private varint (bytes: byte[]) (position: int byref) =
    let mutable result = 0UL
    let mutable shift = 0
    let mutable more = true
    while more do
        let b = bytes[position]
        position <- position + 1
        result <- result ||| (uint64 (b &&& 0x7Fuy) <<< shift)
        shift <- shift + 7
        more <- b &&& 0x80uy <> 0uy
        if shift > 63 && more then failwith "varint longer than 10 bytes"
    result

/// The fields of a message in order: (field number, value). Fails on a truncated message or an unknown wire type.
let parse (bytes: byte[]) =
    let fields = Collections.Generic.List<int * Value>()
    let mutable position = 0
    while position < bytes.Length do
        let tag = varint bytes &position
        let field = int (tag >>> 3)
        match int (tag &&& 7UL) with
        | 0 -> fields.Add(field, Varint(varint bytes &position))
        | 1 ->
            fields.Add(field, Fixed64(BitConverter.ToUInt64(bytes, position)))
            position <- position + 8
        | 2 ->
            let length = int (varint bytes &position)
            if position + length > bytes.Length then failwithf "field %d: length %d past the end" field length
            fields.Add(field, Bytes bytes[position .. position + length - 1])
            position <- position + length
        | 5 ->
            fields.Add(field, Fixed32(BitConverter.ToUInt32(bytes, position)))
            position <- position + 4
        | wire -> failwithf "field %d: unknown wire type %d" field wire
    List.ofSeq fields

/// The byte payloads of field `n` (nested messages, strings).
let messages n (fields: (int * Value) list) = fields |> List.choose (function f, Bytes b when f = n -> Some b | _ -> None)

/// The strings in field `n`.
let strings n fields = messages n fields |> List.map Encoding.UTF8.GetString

/// The single string in field `n`.
let string n fields = strings n fields |> List.exactlyOne

/// The varints in field `n`, as signed 64-bit integers (two's complement, protobuf's int64).
let integers n (fields: (int * Value) list) = fields |> List.choose (function f, Varint v when f = n -> Some(int64 v) | _ -> None)

/// The single varint in field `n`.
let integer n fields = integers n fields |> List.exactlyOne
