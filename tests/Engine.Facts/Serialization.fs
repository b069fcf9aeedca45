/// Model files: the round trip, atomic saving, safetensors edges, layer specs, and truncated, corrupted or hostile files.
module Facts.Serialization

open System
open System.IO
open System.Text
open System.Text.Json
open Xunit
open Engine.Activations
open Engine.Data
open Engine.Losses
open Engine.Networks
open Engine.Serialization
open Facts.Support

let private trainedModel () =
    let network = Network.Dense([| 5; 7; 3 |], Tanh(), Softmax())
    network.Initialize(WeightInitialization.Glorot, 3)
    let standardizer = Standardizer([| 1.0; 2.0; 3.0; 4.0; 5.0 |], [| 0.5; 1.0; 1.5; 2.0; 2.5 |])
    network, standardizer

let private bytesOf (network: Network) (standardizer: Standardizer) =
    use stream = new MemoryStream()
    ModelFile.Write(stream, network, SparseCategoricalCrossEntropy(), standardizer)
    stream.ToArray()

[<Fact>]
let ``a saved model reloads with the same topology, loss and standardizer, and gives bit-identical predictions`` () =
    let network, standardizer = trainedModel ()
    let folder = tempFolder ()
    let path = Path.Combine(folder, "model.safetensors")
    ModelFile.Save(path, network, SparseCategoricalCrossEntropy(), standardizer)
    let model = ModelFile.Load path
    let random = Random 1
    let x = Array.init 40 (fun _ -> random.NextDouble() * 4.0)
    let before = network.Forward(ReadOnlySpan x, 8).ToArray()
    let after = model.Network.Forward(ReadOnlySpan x, 8).ToArray()
    Assert.Equal<float[]>(before, after)
    Assert.Equal("sparse-cce", (nonNull model.Loss).Name)
    Assert.Equal<float[]>(standardizer.Means, (nonNull model.Standardizer).Means)
    Assert.Equal<string list>([ "tanh"; "softmax" ], model.Network.Layers |> Seq.map (fun l -> (l :?> ActivatedLayer).Activation.Name) |> List.ofSeq)
    Directory.Delete(folder, true)

[<Fact>]
let ``a convolutional model reloads with the same layers and gives bit-identical predictions`` () =
    let conv = Conv2D(ImageShape(2, 5, 4), 3, 3, 2, 2, "same", Relu())
    let pool = AvgPool2D(conv.OutputShape, 2, 1)
    let flatten = Flatten(pool.OutputShape)
    let network = Network([ conv :> Layer; pool; MaxPool2D(pool.OutputShape, 1); Flatten(pool.OutputShape); Dense(flatten.OutputSize, 3, Softmax()) ])
    network.Initialize(WeightInitialization.He, 4)
    use stream = new MemoryStream()
    ModelFile.Write(stream, network)
    let model = ModelFile.Read(ReadOnlySpan(stream.ToArray()))
    let random = Random 2
    let x = Array.init (3 * 40) (fun _ -> random.NextDouble())
    Assert.Equal<float[]>(network.Forward(ReadOnlySpan x, 3).ToArray(), model.Network.Forward(ReadOnlySpan x, 3).ToArray())
    Assert.Equal<string list>([ "Conv2D"; "AvgPool2D"; "MaxPool2D"; "Flatten"; "Dense" ], model.Network.Layers |> Seq.map (fun l -> l.GetType().Name) |> List.ofSeq)

[<Fact>]
let ``the file is safetensors: an 8-byte little-endian header length, a JSON header with F64 tensors, then the data`` () =
    let network, standardizer = trainedModel ()
    let bytes = bytesOf network standardizer
    let length = BitConverter.ToUInt64(bytes, 0)
    Assert.Equal(0UL, length % 8UL)
    let header = Encoding.UTF8.GetString(bytes, 8, int length)
    Assert.Contains("\"layers.0.weight\":{\"dtype\":\"F64\",\"shape\":[7,5],\"data_offsets\":[0,280]}", header)
    Assert.Contains("__metadata__", header)
    Assert.Equal(8 + int length + 8 * network.ParameterCount + 8 * 10, bytes.Length)

/// A stream that accepts `limit` bytes, then throws, as a full disk would.
type FailingStream(inner: Stream, limit: int64) =
    inherit Stream()
    let mutable written = 0L
    override _.CanRead = false
    override _.CanSeek = false
    override _.CanWrite = true
    override _.Length = written
    override _.Position with get () = written and set _ = raise (NotSupportedException())
    override _.Flush() = inner.Flush()
    override _.Read(_, _, _) = raise (NotSupportedException())
    override _.Seek(_, _) = raise (NotSupportedException())
    override _.SetLength _ = raise (NotSupportedException())
    override _.Write(buffer: byte[], offset: int, count: int) =
        if written + int64 count > limit then raise (IOException "simulated failure: disk full")
        inner.Write(buffer, offset, count)
        written <- written + int64 count

[<Fact>]
let ``a save that fails midway leaves the previous file intact and no temporary file`` () =
    let network, standardizer = trainedModel ()
    let folder = tempFolder ()
    let path = Path.Combine(folder, "model.safetensors")
    ModelFile.Save(path, network, SparseCategoricalCrossEntropy(), standardizer)
    let previous = File.ReadAllBytes path
    for limit in [ 0L; 7L; 100L; 1000L ] do
        network.Initialize(WeightInitialization.Glorot, int limit + 10)
        let error = Assert.Throws<IOException>(fun () ->
            ModelFile.Save(path, network, SparseCategoricalCrossEntropy(), standardizer, null, fun s -> new FailingStream(s, limit) :> Stream))
        Assert.Contains("simulated failure", error.Message)
        Assert.Equal<byte[]>(previous, File.ReadAllBytes path)
        Assert.Equal<string[]>([| path |], Directory.GetFiles folder)
    Directory.Delete(folder, true)

let private loads (bytes: byte[]) =
    try ModelFile.Read(ReadOnlySpan bytes) |> ignore; "loaded"
    with :? ModelFormatException as e -> "rejected: " + e.Message

let private headerWith (json: string) (dataBytes: int) =
    let header = Encoding.UTF8.GetBytes json
    Array.concat [ BitConverter.GetBytes(uint64 header.Length); header; Array.zeroCreate dataBytes ]

[<Fact>]
let ``truncated, hostile and malformed files are rejected with a clear error`` () =
    let network, standardizer = trainedModel ()
    let valid = bytesOf network standardizer
    let meta = "\"__metadata__\":{\"format\":\"verify-nn/1\",\"topology\":\"[{\\\"type\\\":\\\"dense\\\",\\\"inputs\\\":1,\\\"outputs\\\":1,\\\"activation\\\":\\\"relu\\\"}]\"}"
    let cases =
        [ "empty", [||], "fewer than the 8"
          "truncated data", valid[.. valid.Length - 9], "outside"
          "truncated header", valid[.. 40], "exceeds"
          "header length larger than the file", Array.append (BitConverter.GetBytes(UInt64.MaxValue)) valid[8..], "exceeds"
          "header not JSON", headerWith "{not json" 0, "not valid JSON"
          "huge shape", headerWith ("{" + meta + ",\"layers.0.weight\":{\"dtype\":\"F64\",\"shape\":[2000000000,2000000000],\"data_offsets\":[0,8]}}") 16, "larger than"
          "offsets outside", headerWith ("{" + meta + ",\"layers.0.weight\":{\"dtype\":\"F64\",\"shape\":[1,1],\"data_offsets\":[8,16]}}") 8, "outside"
          "wrong dtype", headerWith ("{" + meta + ",\"layers.0.weight\":{\"dtype\":\"F32\",\"shape\":[1,1],\"data_offsets\":[0,4]}}") 8, "F32"
          "duplicate names", headerWith ("{" + meta + ",\"layers.0.weight\":{\"dtype\":\"F64\",\"shape\":[1,1],\"data_offsets\":[0,8]},\"layers.0.weight\":{\"dtype\":\"F64\",\"shape\":[1,1],\"data_offsets\":[0,8]}}") 8, "JSON"
          "missing tensor", headerWith ("{" + meta + ",\"layers.0.weight\":{\"dtype\":\"F64\",\"shape\":[1,1],\"data_offsets\":[0,8]}}") 8, "layers.0.bias"
          "wrong shape", headerWith ("{" + meta + ",\"layers.0.weight\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]},\"layers.0.bias\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,16]}}") 16, "shape"
          "overlapping tensors", headerWith ("{" + meta + ",\"layers.0.weight\":{\"dtype\":\"F64\",\"shape\":[1,1],\"data_offsets\":[0,8]},\"layers.0.bias\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}") 8, "overlap"
          "unknown activation", headerWith ("{\"__metadata__\":{\"format\":\"verify-nn/1\",\"topology\":\"[{\\\"type\\\":\\\"dense\\\",\\\"inputs\\\":1,\\\"outputs\\\":1,\\\"activation\\\":\\\"nope\\\"}]\"}}") 0, "nope"
          "not a model", headerWith "{\"x\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[0,8]}}" 8, "format" ]
    for name, bytes, expected in cases do
        let outcome = loads bytes
        Assert.True(outcome.StartsWith "rejected" && outcome.Contains expected, sprintf "%s: %s" name outcome)
    Assert.Equal("loaded", loads valid)

/// A safetensors file of the given header and data bytes.
let private fileOf (json: string) (data: byte[]) =
    let header = Encoding.UTF8.GetBytes json
    Array.concat [ BitConverter.GetBytes(uint64 header.Length); header; data ]

let private rejection (bytes: byte[]) =
    (Assert.Throws<ModelFormatException>(fun () -> SafeTensors.Read(ReadOnlySpan bytes) |> ignore)).Message

[<Fact>]
let ``safetensors edges: empty and eight-dimensional tensors, tensors out of file order, the sizes each message names`` () =
    let f64 = Array.concat [ BitConverter.GetBytes 1.5; BitConverter.GetBytes -2.0; BitConverter.GetBytes 4.0 ]
    let struct (tensors, _) = SafeTensors.Read(ReadOnlySpan(fileOf """{"a":{"dtype":"F64","shape":[0],"data_offsets":[0,0]},"b":{"dtype":"F64","shape":[1,1,1,1,1,1,1,1],"data_offsets":[16,24]},"c":{"dtype":"F64","shape":[2],"data_offsets":[0,16]}}""" f64))
    Assert.Equal<string list>([ "a"; "b"; "c" ], tensors |> Seq.map _.Name |> List.ofSeq)
    Assert.Empty(tensors[0].Values)
    Assert.Equal<float[]>([| 4.0 |], tensors[1].Values)
    Assert.Equal<float[]>([| 1.5; -2.0 |], tensors[2].Values)
    Assert.Contains("The header is not valid JSON", rejection (Array.zeroCreate 8))
    mentions [ "header length 5"; "2 bytes" ] (rejection (Array.append (BitConverter.GetBytes 5UL) [| 32uy; 32uy |]))
    mentions [ "[100]"; "24 data bytes" ] (rejection (fileOf """{"a":{"dtype":"F64","shape":[100],"data_offsets":[0,24]}}""" f64))
    mentions [ "[2147483647]" ] (rejection (fileOf """{"a":{"dtype":"F64","shape":[2147483647],"data_offsets":[0,24]}}""" f64))
    mentions [ "[16, 8]"; "24 data bytes" ] (rejection (fileOf """{"a":{"dtype":"F64","shape":[0],"data_offsets":[16,8]}}""" f64))
    mentions [ "[2]"; "16 bytes"; "span 8 bytes" ] (rejection (fileOf """{"a":{"dtype":"F64","shape":[2],"data_offsets":[8,16]}}""" f64))
    mentions [ "shape entry \"x\""; "non-negative integer" ] (rejection (fileOf """{"a":{"dtype":"F64","shape":["x"],"data_offsets":[0,8]}}""" f64))
    mentions [ "data_offsets entry \"x\""; "integer" ] (rejection (fileOf """{"a":{"dtype":"F64","shape":[1],"data_offsets":[0,"x"]}}""" f64))
    Assert.Contains("at most 8 integers", rejection (fileOf """{"a":{"dtype":"F64","shape":[1,1,1,1,1,1,1,1,1],"data_offsets":[0,8]}}""" f64))

[<Fact>]
let ``saving over an existing model replaces it`` () =
    let network, standardizer = trainedModel ()
    let folder = tempFolder ()
    let path = Path.Combine(folder, "model.safetensors")
    ModelFile.Save(path, network, SparseCategoricalCrossEntropy(), standardizer)
    network.Initialize(WeightInitialization.Glorot, 99)
    ModelFile.Save(path, network, SparseCategoricalCrossEntropy(), standardizer)
    Assert.Equal<float[]>(network.Parameters |> Seq.collect _.Values |> Array.ofSeq, (ModelFile.Load path).Network.Parameters |> Seq.collect _.Values |> Array.ofSeq)
    Directory.Delete(folder, true)

[<Fact>]
let ``names are looked up in the registries given, the format is required, and the standardizer must fit the input`` () =
    let network, standardizer = trainedModel ()
    let valid = bytesOf network standardizer
    let none = Engine.Registry<Activation>.FromAssemblies(typeof<Xunit.FactAttribute>.Assembly)
    Assert.Contains("tanh", Assert.Throws<ModelFormatException>(fun () -> ModelFile.Read(ReadOnlySpan valid, none) |> ignore).Message)
    Assert.Contains("sparse-cce", Assert.Throws<ModelFormatException>(fun () -> ModelFile.Read(ReadOnlySpan valid, null, Engine.Registry<Loss>.FromAssemblies(typeof<Xunit.FactAttribute>.Assembly)) |> ignore).Message)
    Assert.Contains("(found none)", Assert.Throws<ModelFormatException>(fun () -> ModelFile.Read(ReadOnlySpan(fileOf "{}" [||])) |> ignore).Message)
    let struct (tensors, metadata) = SafeTensors.Read(ReadOnlySpan valid)
    let shortStd = tensors |> Seq.map (fun t -> if t.Name = "standardizer.std" then Tensor(t.Name, [| 4 |], t.Values[..3]) else t) |> Array.ofSeq
    use stream = new MemoryStream()
    SafeTensors.Write(stream, shortStd, metadata)
    mentions [ "5 means"; "4 deviations"; "5 inputs" ] (Assert.Throws<ModelFormatException>(fun () -> ModelFile.Read(ReadOnlySpan(stream.ToArray())) |> ignore).Message)

[<Fact>]
let ``a model of 1000 layers, the most a file may declare, loads`` () =
    let network = Network.Dense(Array.create 1001 1, Identity(), Identity())
    use stream = new MemoryStream()
    ModelFile.Write(stream, network)
    Assert.Equal(1000, (ModelFile.Read(ReadOnlySpan(stream.ToArray()))).Network.Layers.Count)

[<Fact>]
let ``invalid UTF-8, lone surrogates and a header of exactly the size limit are format errors`` () =
    let one = Array.concat [ BitConverter.GetBytes 1.0 ]
    Assert.Contains("not valid UTF-8", rejection (Array.append (BitConverter.GetBytes 2UL) [| 0xC3uy; 0x28uy |]))
    Assert.Contains("not valid", rejection (fileOf """{"\ud800":{"dtype":"F64","shape":[1],"data_offsets":[0,8]}}""" one))
    Assert.Contains("not valid", rejection (fileOf """{"__metadata__":{"format":"\udc00"}}""" [||]))
    Assert.Contains("not valid", rejection (fileOf """{"a":{"dtype":"\ud800","shape":[1],"data_offsets":[0,8]}}""" one))
    // At the limit the header is read (and these spaces are no JSON); one byte more is refused unread.
    let spaces (length: int64) = Array.append (BitConverter.GetBytes(uint64 length)) (Array.create (int length) 32uy)
    Assert.Contains("not valid JSON", rejection (spaces SafeTensors.MaxHeaderBytes))
    Assert.Contains("exceeds the limit", rejection (spaces (SafeTensors.MaxHeaderBytes + 1L)))

[<Fact>]
let ``each malformed header or model names what is wrong, in words`` () =
    let one = BitConverter.GetBytes 1.0
    mentions [ "header"; "JSON object" ] (rejection (fileOf "[1]" [||]))
    mentions [ "__metadata__"; "object of strings" ] (rejection (fileOf """{"__metadata__":3}""" [||]))
    mentions [ "__metadata__[\"format\"]"; "string" ] (rejection (fileOf """{"__metadata__":{"format":3}}""" [||]))
    mentions [ "'a'"; "object" ] (rejection (fileOf """{"a":3}""" [||]))
    mentions [ "'a'"; "dtype missing" ] (rejection (fileOf """{"a":{"shape":[1],"data_offsets":[0,8]}}""" one))
    mentions [ "'a'"; "shape entry null"; "non-negative integer" ] (rejection (fileOf """{"a":{"dtype":"F64","shape":[null],"data_offsets":[0,8]}}""" one))
    mentions [ "'a'"; "data_offsets entry null"; "integer" ] (rejection (fileOf """{"a":{"dtype":"F64","shape":[1],"data_offsets":[0,null]}}""" one))
    mentions [ "'a'"; "data_offsets [begin, end]" ] (rejection (fileOf """{"a":{"dtype":"F64","shape":[1],"data_offsets":[0]}}""" one))
    mentions [ "shape [2, 3]"; "8 data bytes" ] (rejection (fileOf """{"a":{"dtype":"F64","shape":[2,3],"data_offsets":[0,8]}}""" one))
    mentions [ "[1, 1]"; "8 bytes"; "span 0 bytes" ] (rejection (fileOf """{"a":{"dtype":"F64","shape":[1,1],"data_offsets":[8,8]}}""" one))
    let model (metadata: string) (tensors: string) (data: byte[]) =
        (Assert.Throws<ModelFormatException>(fun () -> ModelFile.Read(ReadOnlySpan(fileOf ("{\"__metadata__\":{\"format\":\"verify-nn/1\"" + metadata + "}" + tensors + "}") data)) |> ignore)).Message
    mentions [ "topology" ] (model "" "" [||])
    mentions [ "entry 0"; "object"; "is 3" ] (model ",\"topology\":\"[3]\"" "" [||])
    let dense = ",\"topology\":\"[{\\\"type\\\":\\\"dense\\\",\\\"inputs\\\":1,\\\"outputs\\\":1,\\\"activation\\\":\\\"relu\\\"}]\""
    let weight (shape: string) = ",\"layers.0.weight\":{\"dtype\":\"F64\",\"shape\":" + shape + ",\"data_offsets\":[0,8]},\"layers.0.bias\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[8,16]}"
    let twoValues = Array.append one one
    mentions [ "'layers.0.weight'"; "[1, 1, 1]"; "needs [1, 1]" ] (model dense (weight "[1,1,1]") twoValues)
    let extra = ",\"x\":{\"dtype\":\"F64\",\"shape\":[0],\"data_offsets\":[16,16]},\"y\":{\"dtype\":\"F64\",\"shape\":[0],\"data_offsets\":[16,16]}"
    mentions [ "x, y" ] (model dense (weight "[1,1]" + extra) twoValues)
    let standardizer = ",\"standardizer.mean\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[16,24]},\"standardizer.std\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[24,32]}"
    mentions [ "standardizer" ] (model dense (weight "[1,1]" + standardizer) (Array.concat [ one; one; one; BitConverter.GetBytes 0.0 ]))

[<Fact>]
let ``the safetensors writer pads the header to 8 bytes and writes tensors larger than its buffer`` () =
    let network = Network.Dense([| 300; 5 |], Relu(), Identity())
    network.Initialize(WeightInitialization.Glorot, 2)
    use stream = new MemoryStream()
    ModelFile.Write(stream, network)
    let bytes = stream.ToArray()
    let length = int (BitConverter.ToUInt64(bytes, 0))
    let json = Text.Encoding.UTF8.GetString(bytes, 8, length)
    Assert.Equal(0, length % 8)
    Assert.True(length - json.TrimEnd(' ').Length < 8)
    Assert.Equal(8 + length + 8 * 1505, bytes.Length)
    let model = ModelFile.Read(ReadOnlySpan bytes)
    Assert.Equal<float[]>(network.Parameters[0].Values, model.Network.Parameters[0].Values)

[<Fact>]
let ``model files keep extra metadata, and reject a wrong format, a huge topology and non-finite parameters or standardizer values, naming which`` () =
    let network = Network.Dense([| 2; 2 |], Relu(), Identity())
    network.Initialize(WeightInitialization.Glorot, 1)
    use stream = new MemoryStream()
    ModelFile.Write(stream, network, null, null, readOnlyDict [ "data", "iris" ])
    let model = ModelFile.Read(ReadOnlySpan(stream.ToArray()))
    Assert.Equal("iris", model.Metadata["data"])
    Assert.Null(model.Loss)
    Assert.Null(model.Standardizer)
    // Written through SafeTensors directly, so that the metadata can say what ModelFile would not.
    let mutate (edit: Network -> unit) (metadata: (string * string) list) =
        let copy = Network.Dense([| 2; 2 |], Relu(), Identity())
        edit copy
        let topology = """[{"type":"dense","inputs":2,"outputs":2,"activation":"relu"}]"""
        let entries = readOnlyDict ([ "format", "verify-nn/1"; "topology", topology ] |> List.filter (fun (k, _) -> not (List.exists (fun (m, _) -> m = k) metadata)) |> List.append metadata)
        let tensors = [| for p in copy.Parameters -> Tensor("layers.0." + p.Name, Array.ofSeq p.Shape, p.Values) |]
        use s = new MemoryStream()
        SafeTensors.Write(s, tensors, entries)
        Assert.Throws<ModelFormatException>(fun () -> ModelFile.Read(ReadOnlySpan(s.ToArray())) |> ignore).Message
    mentions [ "'layers.0.weight'"; "NaN"; "index 0"; "parameters" ] (mutate (fun n -> n.Parameters[0].Values[0] <- nan) [])
    let nonFiniteMean =
        let tensors = [| for p in network.Parameters -> Tensor("layers.0." + p.Name, Array.ofSeq p.Shape, p.Values) |]
        let standardizer = [| Tensor("standardizer.mean", [| 2 |], [| 0.0; nan |]); Tensor("standardizer.std", [| 2 |], [| 1.0; 1.0 |]) |]
        use s = new MemoryStream()
        SafeTensors.Write(s, Array.append tensors standardizer, readOnlyDict [ "format", "verify-nn/1"; "topology", """[{"type":"dense","inputs":2,"outputs":2,"activation":"relu"}]""" ])
        Assert.Throws<ModelFormatException>(fun () -> ModelFile.Read(ReadOnlySpan(s.ToArray())) |> ignore).Message
    mentions [ "'standardizer.mean'"; "NaN"; "index 1"; "the standardizer's values" ] nonFiniteMean
    mentions [ "Infinity"; "index 3" ] (mutate (fun n -> n.Parameters[0].Values[3] <- infinity) [])
    mentions [ "verify-nn/1"; "'other'" ] (mutate ignore [ "format", "other" ])
    let huge = "[" + String.Join(",", Array.create 1001 """{"type":"dense","inputs":2,"outputs":2,"activation":"relu"}""") + "]"
    mentions [ "1001 layers" ] (mutate ignore [ "topology", huge ])
    Assert.Throws<ArgumentNullException>(fun () -> ModelFile.Save(Path.Combine(Path.GetTempPath(), "never.safetensors"), Unchecked.defaultof<Network>)) |> ignore

[<Fact>]
let ``layer specs reject unknown kinds and malformed settings`` () =
    mentions [ "'lstm'" ] (Assert.Throws<FormatException>(fun () -> parseLayer """{"type":"lstm"}""" |> ignore).Message)
    mentions [ "'inputs'"; "positive integer" ] (Assert.Throws<FormatException>(fun () -> parseLayer """{"type":"dense","inputs":0,"outputs":1,"activation":"relu"}""" |> ignore).Message)
    mentions [ "'activation'"; "is 3" ] (Assert.Throws<FormatException>(fun () -> parseLayer """{"type":"dense","inputs":1,"outputs":1,"activation":3}""" |> ignore).Message)
    mentions [ "'input'"; "3 positive integers" ] (Assert.Throws<FormatException>(fun () -> parseLayer """{"type":"flatten","input":[1,2]}""" |> ignore).Message)
    mentions [ "conv2d" ] (Assert.Throws<FormatException>(fun () -> parseLayer """{"type":"conv2d","input":[1,2,2],"outChannels":1,"kernel":[3,3],"stride":1,"padding":"valid","activation":"relu"}""" |> ignore).Message)
    Assert.IsType<Dense>(parseLayer """{"type":"dense","inputs":2,"outputs":3,"activation":"tanh"}""") |> ignore

[<Fact>]
let ``layer spec messages quote the value they reject, and lists refuse a zero`` () =
    let message json = Assert.Throws<FormatException>(fun () -> parseLayer json |> ignore).Message
    mentions [ "'inputs'"; "positive integer"; "is 0" ] (message """{"type":"dense","inputs":0,"outputs":1,"activation":"relu"}""")
    mentions [ "'activation'"; "name"; "is 3" ] (message """{"type":"dense","inputs":1,"outputs":1,"activation":3}""")
    mentions [ "'input'"; "3 positive integers"; "[1,0,2]" ] (message """{"type":"flatten","input":[1,0,2]}""")
    mentions [ "'inputs'"; "positive integer"; "missing" ] (message """{"type":"dense","outputs":1,"activation":"relu"}""")

[<Fact>]
let ``a topology declaring a huge layer is checked against the file's tensors before any parameter is allocated`` () =
    let topology (inputs: int) (outputs: int) = sprintf """[{"type":"dense","inputs":%d,"outputs":%d,"activation":"relu"}]""" inputs outputs
    let file (topology: string) =
        use s = new MemoryStream()
        let tensors = [| Tensor("layers.0.weight", [| 1; 1 |], [| 1.0 |]); Tensor("layers.0.bias", [| 1 |], [| 0.0 |]) |]
        SafeTensors.Write(s, tensors, readOnlyDict [ "format", "verify-nn/1"; "topology", topology ])
        s.ToArray()
    // 40,000 × 40,000 weights fit one array (1.6e9 < Array.MaxLength) but would take 12.8 GB: the shape check comes first.
    let small = file (topology 40000 40000)
    let before = GC.GetAllocatedBytesForCurrentThread()
    let message = (Assert.Throws<ModelFormatException>(fun () -> ModelFile.Read(ReadOnlySpan small) |> ignore)).Message
    let allocated = GC.GetAllocatedBytesForCurrentThread() - before
    mentions [ "layers.0.weight"; "[1, 1]"; "[40000, 40000]" ] message
    Assert.True(allocated < 10_000_000L, sprintf "%d bytes allocated" allocated)
    // More than 2^31 weights is an invalid topology, not an overflow.
    mentions [ "topology is invalid"; "more values than one array can hold" ] ((Assert.Throws<ModelFormatException>(fun () -> ModelFile.Read(ReadOnlySpan(file (topology 100000 100000))) |> ignore)).Message)

[<Fact>]
let ``the tensors must cover the data exactly: a gap or trailing bytes are format errors`` () =
    let f64 = Array.concat [ BitConverter.GetBytes 1.5; BitConverter.GetBytes -2.0; BitConverter.GetBytes 4.0 ]
    mentions [ "[0, 8)"; "belong to no tensor" ] (rejection (fileOf """{"a":{"dtype":"F64","shape":[2],"data_offsets":[8,24]}}""" f64))
    mentions [ "24 bytes"; "cover 16"; "8 bytes at its end" ] (rejection (fileOf """{"a":{"dtype":"F64","shape":[2],"data_offsets":[0,16]}}""" f64))

[<Fact>]
let ``a classifier's classes are saved with the model and read back; invalid classes are format errors`` () =
    let network, standardizer = trainedModel ()
    let folder = tempFolder ()
    let path = Path.Combine(folder, "model.safetensors")
    let classes = Classes([| "cat"; "dog, large"; "\"eel\"" |], false)
    ModelFile.Save(path, Model(network, SparseCategoricalCrossEntropy(), standardizer, readOnlyDict [ "data", "pets.csv" ], classes))
    let model = ModelFile.Load path
    Assert.Equal<string seq>(classes.Names, (nonNull model.Classes).Names)
    Assert.False (nonNull model.Classes).IndexedLabels
    Assert.Equal("pets.csv", model.Metadata["data"])
    throwsFor "classes" [ "2 classes need 2 outputs or 1"; "has 3" ] (fun () -> ModelFile.Save(path, Model(network, null, null, readOnlyDict [], Classes([| "a"; "b" |], true))))
    let withClasses (json: string) =
        use s = new MemoryStream()
        ModelFile.Write(s, network, null, null, readOnlyDict [ ModelFile.ClassesKey, json ])
        (Assert.Throws<ModelFormatException>(fun () -> ModelFile.Read(ReadOnlySpan(s.ToArray())) |> ignore)).Message
    mentions [ "2 classes"; "3 outputs" ] (withClasses """{"labels":"names","names":["a","b"]}""")
    mentions [ "classes are invalid" ] (withClasses """{"labels":"names","names":["a","a","b"]}""")
    mentions [ "classes must be" ] (withClasses """{"labels":"other","names":["a","b","c"]}""")
    mentions [ "classes are invalid" ] (withClasses "not json")
    Directory.Delete(folder, true)

[<Fact>]
let ``a checkpoint file keeps the training settings, the counters and every tensor exactly; a run resumed from it continues as the original`` () =
    let data = Dataset(Array.init 40 (fun i -> float (i % 7) / 7.0), 2, Array.init 20 (fun i -> float (i % 3)), 1)
    let build () =
        let network = Network.Dense([| 2; 5; 3 |], Tanh(), Softmax())
        network.Initialize(WeightInitialization.Glorot, 9)
        network
    let options =
        Engine.Training.TrainingOptions(
            Optimizer = Engine.Registry<Engine.Optimizers.Optimizer>.Builtin.Create("adam", readOnlyDict [ "beta1", "0.8"; "amsgrad", "true" ]),
            Schedule = Engine.Registry<Engine.Schedules.Schedule>.Builtin.Create("step", readOnlyDict [ "stepSize", "2" ]),
            LearningRate = 0.05, BatchSize = 4, Epochs = 6, Seed = 3, MaxGradientNorm = Nullable 2.0, ValidationFraction = 0.25, Patience = 4)
    let whole = build ()
    Engine.Training.Trainer.Train(whole, SparseCategoricalCrossEntropy(), data, options) |> ignore
    let network = build ()
    let run = Engine.Training.TrainingRun(network, SparseCategoricalCrossEntropy(), data, options)
    for _ in 1 .. 2 do run.RunEpoch() |> ignore
    let folder = tempFolder ()
    let path = Path.Combine(folder, "checkpoint.safetensors")
    CheckpointFile.Save(path, run.Checkpoint(), readOnlyDict [ "note", "mine" ])
    let struct (loaded, metadata) = CheckpointFile.Load path
    Assert.Equal("mine", metadata["note"])
    Assert.Equal(2, loaded.EpochsDone)
    Assert.Equal(string options.Optimizer, string loaded.Options.Optimizer)
    Assert.Equal(string options.Schedule, string loaded.Options.Schedule)
    Assert.Equal((options.LearningRate, options.BatchSize, options.Epochs, options.Seed, options.MaxGradientNorm, options.ValidationFraction, options.Patience),
                 (loaded.Options.LearningRate, loaded.Options.BatchSize, loaded.Options.Epochs, loaded.Options.Seed, loaded.Options.MaxGradientNorm, loaded.Options.ValidationFraction, loaded.Options.Patience))
    let original = run.Checkpoint()
    for expected, actual in [ original.Parameters, loaded.Parameters; original.OptimizerState, loaded.OptimizerState; original.BestParameters, loaded.BestParameters ] do
        Assert.Equal<string seq>(expected |> Seq.map _.Name, actual |> Seq.map _.Name)
        for e, a in Seq.zip expected actual do Assert.Equal<float[]>(e.Values, a.Values)
    let resumed = build ()
    Engine.Training.Trainer.Resume(resumed, SparseCategoricalCrossEntropy(), data, loaded) |> ignore
    Assert.Equal<float[]>(whole.Parameters |> Seq.collect _.Values |> Array.ofSeq, resumed.Parameters |> Seq.collect _.Values |> Array.ofSeq)
    // A model file is not a checkpoint, and a checkpoint's settings are validated.
    ModelFile.Save(Path.Combine(folder, "model.safetensors"), whole)
    mentions [ "verify-nn-checkpoint/1"; "'verify-nn/1'" ] (Assert.Throws<ModelFormatException>(fun () -> CheckpointFile.Load(Path.Combine(folder, "model.safetensors")) |> ignore).Message)
    let broken = Path.Combine(folder, "broken.safetensors")
    (use stream = File.Create broken
     SafeTensors.Write(stream, [||], readOnlyDict [ "format", "verify-nn-checkpoint/1"; "training", """{"options":{"optimizer":"adam","schedule":"constant","learning_rate":-1}}""" ]))
    mentions [ "training state is invalid"; "batch_size" ] (Assert.Throws<ModelFormatException>(fun () -> CheckpointFile.Load broken |> ignore).Message)
    Directory.Delete(folder, true)

[<Fact>]
let ``training settings read back as written, an unset gradient limit included; names resolve in the registries given; invalid settings are format errors`` () =
    let options =
        Engine.Training.TrainingOptions(
            Optimizer = Engine.Optimizers.RmsProp(), Schedule = Engine.Schedules.Constant(), LearningRate = 0.02, BatchSize = 8, Epochs = 3,
            Seed = 4, Shuffle = false, ValidationFraction = 0.1, Patience = 2, MinImprovement = 0.001)
    let decoded = TrainingOptionsCodec.Decode(TrainingOptionsCodec.Encode options)
    Assert.False(decoded.MaxGradientNorm.HasValue)
    Assert.Equal((string options.Optimizer, string options.Schedule, 0.02, 8, 3, 4, false, 0.1, 2, 0.001),
                 (string decoded.Optimizer, string decoded.Schedule, decoded.LearningRate, decoded.BatchSize, decoded.Epochs, decoded.Seed,
                  decoded.Shuffle, decoded.ValidationFraction, decoded.Patience, decoded.MinImprovement))
    let noOptimizers = Engine.Registry<Engine.Optimizers.Optimizer>.FromAssemblies()
    let noSchedules = Engine.Registry<Engine.Schedules.Schedule>.FromAssemblies()
    mentions [ "'optimizer'"; "rmsprop" ] (Assert.Throws<FormatException>(fun () -> TrainingOptionsCodec.Decode(TrainingOptionsCodec.Encode options, noOptimizers) |> ignore).Message)
    mentions [ "'schedule'"; "constant" ] (Assert.Throws<FormatException>(fun () -> TrainingOptionsCodec.Decode(TrainingOptionsCodec.Encode options, schedules = noSchedules) |> ignore).Message)
    let invalid = TrainingOptionsCodec.Encode options
    invalid["batch_size"] <- System.Text.Json.Nodes.JsonValue.Create 0
    mentions [ "training settings are invalid"; "atch" ] (Assert.Throws<FormatException>(fun () -> TrainingOptionsCodec.Decode invalid |> ignore).Message)

[<Fact>]
let ``the codecs refuse a null argument by name`` () =
    let parameter (action: unit -> unit) = Assert.Throws<ArgumentNullException>(action).ParamName
    Assert.Equal("model", parameter (fun () -> ModelFile.Save("unused.safetensors", Unchecked.defaultof<Model>)))
    Assert.Equal("checkpoint", parameter (fun () -> CheckpointFile.Save("unused.safetensors", Unchecked.defaultof<Engine.Training.TrainingCheckpoint>)))
    Assert.Equal("options", parameter (fun () -> TrainingOptionsCodec.Encode(Unchecked.defaultof<Engine.Training.TrainingOptions>) |> ignore))
    Assert.Equal("layer", parameter (fun () -> Topology.Encode(Unchecked.defaultof<Layer>) |> ignore))
    Assert.Equal("spec", parameter (fun () -> Topology.Decode(Unchecked.defaultof<System.Text.Json.Nodes.JsonObject>) |> ignore))
    Assert.Equal("topology", parameter (fun () -> Topology.Decode(Unchecked.defaultof<System.Text.Json.Nodes.JsonArray>) |> ignore))
    Assert.False(File.Exists "unused.safetensors")

[<Fact>]
let ``layer codecs are looked up in the registry given: an empty one writes no layer and knows no type`` () =
    let none = Engine.Registry<LayerCodec>.FromAssemblies()
    mentions [ "No layer codec writes Dense" ] (Assert.Throws<ArgumentException>(fun () -> Topology.Encode(Dense(2, 2, Relu()), none) |> ignore).Message)
    let spec = (nonNull (System.Text.Json.Nodes.JsonNode.Parse """{"type":"dense","inputs":2,"outputs":3,"activation":"tanh"}""")).AsObject()
    mentions [ "Unknown layer type 'dense'" ] (Assert.Throws<FormatException>(fun () -> Topology.Decode(spec, codecs = none) |> ignore).Message)

/// A new folder holding checkpoint.safetensors, the checkpoint of a small run before its first epoch, and the file's path.
let private firstCheckpoint () =
    let data = Dataset(Array.init 8 (fun i -> float i / 8.0), 2, Array.init 4 (fun i -> float (i % 2)), 1)
    let run = Engine.Training.TrainingRun(Network.Dense([| 2; 2 |], Tanh(), Softmax()), SparseCategoricalCrossEntropy(), data, Engine.Training.TrainingOptions(BatchSize = 2, Epochs = 1))
    let folder = tempFolder ()
    let path = Path.Combine(folder, "checkpoint.safetensors")
    CheckpointFile.Save(path, run.Checkpoint())
    folder, path

[<Fact>]
let ``a checkpoint taken before the first epoch, its counters 0, loads`` () =
    let folder, path = firstCheckpoint ()
    let struct (loaded, _) = CheckpointFile.Load path
    Assert.Equal((0, 0), (loaded.EpochsDone, loaded.EpochsWithoutImprovement))
    Directory.Delete(folder, true)

[<Fact>]
let ``classes that are label indices, and two classes of a one-output network, read back as saved`` () =
    let folder = tempFolder ()
    let path = Path.Combine(folder, "model.safetensors")
    let network, _ = trainedModel ()
    ModelFile.Save(path, Model(network, null, null, readOnlyDict [], Classes([| "0"; "1"; "2" |], true)))
    let indices = nonNull (ModelFile.Load path).Classes
    Assert.True(indices.IndexedLabels)
    Assert.Equal<string seq>([ "0"; "1"; "2" ], indices.Names)
    ModelFile.Save(path, Model(Network.Dense([| 2; 1 |], Tanh(), Sigmoid()), null, null, readOnlyDict [], Classes([| "no"; "yes" |], false)))
    let binary = nonNull (ModelFile.Load path).Classes
    Assert.False(binary.IndexedLabels)
    Assert.Equal<string seq>([ "no"; "yes" ], binary.Names)
    Directory.Delete(folder, true)

[<Fact>]
let ``a checkpoint tensor named outside the three groups, with no group at all included, is a format error naming it`` () =
    let folder, path = firstCheckpoint ()
    let struct (tensors, metadata) = SafeTensors.Read(ReadOnlySpan(File.ReadAllBytes path))
    for renamed in [ "layers.0.weight"; "extra/layers.0.weight" ] do
        let edited = tensors |> Seq.map (fun t -> if t.Name = "parameters/layers.0.weight" then Tensor(renamed, Array.ofSeq t.Shape, t.Values) else t) |> Array.ofSeq
        (use stream = File.Create path
         SafeTensors.Write(stream, edited, metadata))
        mentions [ $"'{renamed}'" ] (Assert.Throws<ModelFormatException>(fun () -> CheckpointFile.Load path |> ignore).Message)
    Directory.Delete(folder, true)

[<Fact>]
let ``a model file holding one of the standardizer's two tensors is refused, naming the one it holds`` () =
    let network, standardizer = trainedModel ()
    let struct (tensors, metadata) = SafeTensors.Read(ReadOnlySpan(bytesOf network standardizer))
    for kept in [ "standardizer.mean"; "standardizer.std" ] do
        let alone = tensors |> Seq.filter (fun t -> not (t.Name.StartsWith "standardizer.") || t.Name = kept) |> Array.ofSeq
        use stream = new MemoryStream()
        SafeTensors.Write(stream, alone, metadata)
        mentions [ kept ] (Assert.Throws<ModelFormatException>(fun () -> ModelFile.Read(ReadOnlySpan(stream.ToArray())) |> ignore).Message)

[<Fact>]
let ``each malformed training setting is a format error naming the setting and the value it holds`` () =
    let valid () = TrainingOptionsCodec.Encode(Engine.Training.TrainingOptions())
    let refused (node: Nodes.JsonNode | null) expected = mentions expected (Assert.Throws<FormatException>(fun () -> TrainingOptionsCodec.Decode node |> ignore).Message)
    refused null [ "training settings"; "missing" ]
    refused (Nodes.JsonArray()) [ "training settings"; "[]" ]
    for name, value, expected in [ "learning_rate", Nodes.JsonValue.Create "fast" :> Nodes.JsonNode | null, [ "'learning_rate'"; "\"fast\"" ]
                                   "batch_size", Nodes.JsonValue.Create 1.5, [ "'batch_size'"; "1.5" ]
                                   "shuffle", Nodes.JsonValue.Create 1, [ "'shuffle'"; "true or false" ]
                                   "optimizer", Nodes.JsonNode.Parse """{"name":"sgd","momentum":[1]}""", [ "'optimizer'"; "'momentum'"; "[1]" ] ] do
        let json = valid ()
        json[name] <- value
        refused json expected
    for name in [ "learning_rate"; "epochs" ] do
        let json = valid ()
        json.Remove name |> ignore
        refused json [ $"'{name}'"; "missing" ]

[<Fact>]
let ``a checkpoint without a format, a training state, or with a malformed counter, best loss or stop flag is a format error naming it`` () =
    let folder, path = firstCheckpoint ()
    let struct (tensors, metadata) = SafeTensors.Read(ReadOnlySpan(File.ReadAllBytes path))
    let refused (metadata: (string * string) list) expected =
        (use stream = File.Create path
         SafeTensors.Write(stream, tensors, readOnlyDict metadata))
        mentions expected (Assert.Throws<ModelFormatException>(fun () -> CheckpointFile.Load path |> ignore).Message)
    let format = "format", metadata["format"]
    refused [ "note", "mine" ] [ metadata["format"]; "none" ]
    refused [ format ] [ "no training state" ]
    for name, value, expected in [ "epochs_done", "-1", [ "'epochs_done'"; "-1" ]; "epochs_without_improvement", "\"x\"", [ "'epochs_without_improvement'"; "\"x\"" ]
                                   "best_validation_loss", "1", [ "'best_validation_loss'"; "number" ]; "stopped", "\"no\"", [ "'stopped'"; "true or false" ] ] do
        let training = (nonNull (Nodes.JsonNode.Parse metadata["training"])).AsObject()
        training[name] <- Nodes.JsonNode.Parse value
        refused [ format; "training", training.ToJsonString() ] expected
    let training = (nonNull (Nodes.JsonNode.Parse metadata["training"])).AsObject()
    training.Remove "epochs_done" |> ignore
    refused [ format; "training", training.ToJsonString() ] [ "'epochs_done'"; "missing" ]
    Directory.Delete(folder, true)
