/// The graphs the exporter writes, read back with the protobuf oracle: operators, attributes, tensor names, opset and IR version.
module GraphFacts

open System
open System.Collections.Generic
open Xunit
open Engine.Activations
open Engine.Data
open Engine.Interop.Onnx
open Engine.Networks

/// The model's fields, and its graph's.
let private decode (network: Network) (standardizer: Standardizer option) (elementType: OnnxDataType) =
    let model = Protobuf.parse (ProtobufWriter.Encode(OnnxExport.ToModel(network, Option.toObj standardizer, elementType)))
    model, Protobuf.parse (Protobuf.messages 7 model |> List.exactlyOne)

let private nodes graph = Protobuf.messages 1 graph |> List.map Protobuf.parse

let private opTypes graph = nodes graph |> List.map (Protobuf.string 4)

/// A node's integer-list attribute.
let private ints name node =
    Protobuf.messages 5 node |> List.map Protobuf.parse |> List.find (fun a -> Protobuf.string 1 a = name) |> Protobuf.integers 8

[<Fact>]
let ``a standardized dense classifier is Sub, Div, Gemm, Sigmoid, Gemm, Softmax at opset 13, IR 7, its tensors named as in the model file`` () =
    let network = Network.Dense([ 4; 3; 2 ], Sigmoid(), Softmax())
    let standardizer = Standardizer(Array.create 4 1.0, Array.create 4 2.0)
    let model, graph = decode network (Some standardizer) OnnxDataType.Double
    Assert.Equal(7L, Protobuf.integer 1 model)
    let opset = Protobuf.messages 8 model |> List.exactlyOne |> Protobuf.parse
    Assert.Empty(Protobuf.messages 1 opset)
    Assert.Equal(13L, Protobuf.integer 2 opset)
    Assert.Equal<string list>([ "Sub"; "Div"; "Gemm"; "Sigmoid"; "Gemm"; "Softmax" ], opTypes graph)
    let initializers = Protobuf.messages 5 graph |> List.map Protobuf.parse
    Assert.Equal<string list>([ "standardizer.mean"; "standardizer.std"; "layers.0.weight"; "layers.0.bias"; "layers.1.weight"; "layers.1.bias" ],
                              initializers |> List.map (Protobuf.string 8))
    Assert.All(initializers, fun t -> Assert.Equal(11L, Protobuf.integer 2 t))
    Assert.Equal<int64 list>([ 3L; 4L ], Protobuf.integers 1 initializers[2])
    let all = nodes graph
    Assert.Equal<string list>([ "input"; "standardizer.mean" ], Protobuf.strings 1 all[0])
    Assert.Equal<string list>([ "output" ], Protobuf.strings 2 (List.last all))
    let gemm = all[2]
    let transB = Protobuf.messages 5 gemm |> List.exactlyOne |> Protobuf.parse
    Assert.Equal(("transB", 1L), (Protobuf.string 1 transB, Protobuf.integer 3 transB))

[<Fact>]
let ``a convolutional network reshapes its input rows, pads 'same' at the bottom and right, pools and flattens`` () =
    let image = ImageShape(1, 5, 5)
    let conv = Conv2D(image, 2, 2, 2, 1, "same", Relu())
    let pool = MaxPool2D(conv.OutputShape, 2)
    let average = AvgPool2D(pool.OutputShape, 1)
    let flatten = Flatten(average.OutputShape)
    let network = Network([ conv :> Layer; pool; average; flatten; Dense(flatten.OutputSize, 3, Identity()) ])
    let _, graph = decode network None OnnxDataType.Float
    Assert.Equal<string list>([ "Reshape"; "Conv"; "Relu"; "MaxPool"; "AveragePool"; "Flatten"; "Gemm" ], opTypes graph)
    let all = nodes graph
    Assert.Equal<int64 list>([ 0L; 0L; 1L; 1L ], ints "pads" all[1])
    Assert.Equal<int64 list>([ 2L; 2L ], ints "kernel_shape" all[1])
    Assert.Equal<int64 list>([ 2L; 2L ], ints "strides" all[3])
    let shape = Protobuf.messages 5 graph |> List.map Protobuf.parse |> List.find (fun t -> Protobuf.string 8 t = "layers.0.shape")
    Assert.Equal(7L, Protobuf.integer 2 shape)
    let raw = Protobuf.messages 9 shape |> List.exactlyOne
    Assert.Equal<int64[]>([| -1L; 1L; 5L; 5L |], Array.init 4 (fun i -> BitConverter.ToInt64(raw, 8 * i)))

[<Fact>]
let ``softmax on an image normalizes the whole sample: Flatten, then Softmax over the last axis, then Reshape for the next image layer`` () =
    let conv = Conv2D(ImageShape(1, 3, 3), 2, 1, 1, 1, "valid", Softmax())
    let network = Network([ conv :> Layer; MaxPool2D(conv.OutputShape, 1) ])
    let _, graph = decode network None OnnxDataType.Double
    Assert.Equal<string list>([ "Reshape"; "Conv"; "Flatten"; "Softmax"; "Reshape"; "MaxPool"; "Flatten" ], opTypes graph)

[<Fact>]
let ``a network that computes nothing (one flatten of the input rows) returns its input through an Identity`` () =
    let _, graph = decode (Network([ Flatten(ImageShape(1, 2, 2)) :> Layer ])) None OnnxDataType.Double
    Assert.Equal<string list>([ "Identity" ], opTypes graph)
    let identity = nodes graph |> List.exactlyOne
    Assert.Equal<string list>([ "input" ], Protobuf.strings 1 identity)
    Assert.Equal<string list>([ "output" ], Protobuf.strings 2 identity)

[<Fact>]
let ``a standardizer of another width than the network's input is rejected`` () =
    let e = Assert.Throws<ArgumentException>(fun () ->
        OnnxExport.ToModel(Network.Dense([ 3; 2 ], Relu(), Identity()), Standardizer([| 0.0 |], [| 1.0 |])) |> ignore)
    Assert.Contains("The standardizer has 1 features, but the network takes 3", e.Message)

[<Fact>]
let ``the model names its producer and version and describes the network; the graph and every node are named, each name once`` () =
    let network = Network.Dense([ 4; 3; 2 ], Sigmoid(), Softmax())
    let version = typeof<OnnxExport>.Assembly.GetName().Version |> nonNull |> string
    let model, graph = decode network (Some(Standardizer(Array.create 4 1.0, Array.create 4 2.0))) OnnxDataType.Double
    Assert.Equal(("verify-nn", version), (Protobuf.string 2 model, Protobuf.string 3 model))
    Assert.Equal("A 4→3→2 network exported in float64; the input is standardized inside the graph.", Protobuf.string 6 model)
    let plain, _ = decode network None OnnxDataType.Float
    Assert.Equal("A 4→3→2 network exported in float32.", Protobuf.string 6 plain)
    Assert.Equal("network", Protobuf.string 2 graph)
    let names = nodes graph |> List.map (Protobuf.string 3)
    Assert.Equal<string list>([ "standardizer.Sub"; "standardizer.Div"; "layers.0.Gemm"; "layers.0.Sigmoid"; "layers.1.Gemm"; "layers.1.Softmax" ], names)
    let conv = Conv2D(ImageShape(1, 3, 3), 2, 1, 1, 1, "valid", Softmax())
    let _, image = decode (Network([ conv :> Layer; MaxPool2D(conv.OutputShape, 1); Flatten(ImageShape(2, 3, 3)) ])) None OnnxDataType.Double
    let imageNames = nodes image |> List.map (Protobuf.string 3)
    Assert.Equal<string list>(List.distinct imageNames, imageNames)
    Assert.All(imageNames, fun name -> Assert.Matches(@"^layers\.[0-2]\.[A-Za-z]+$", name))
    let softmax = nodes graph |> List.last |> Protobuf.messages 5 |> List.exactlyOne |> Protobuf.parse
    Assert.Equal(("axis", -1L), (Protobuf.string 1 softmax, Protobuf.integer 3 softmax))

[<Fact>]
let ``a model writes its doc string only when there is one, an opset's domain only when it is not the default, and each metadata entry`` () =
    let graph = GraphProto("g", [], [], [], [])
    let encode (model: ModelProto) = Protobuf.parse (ProtobufWriter.Encode model)
    let bare = encode (ModelProto(7L, [ OperatorSetIdProto("", 13L) ], "p", "1", "", graph, []))
    Assert.Empty(Protobuf.messages 6 bare)
    Assert.Empty(Protobuf.messages 14 bare)
    let full = encode (ModelProto(7L, [ OperatorSetIdProto("ai.onnx.ml", 3L) ], "p", "1", "doc", graph, [ KeyValuePair("k", "v"); KeyValuePair("x", "y") ]))
    Assert.Equal("doc", Protobuf.string 6 full)
    let opset = Protobuf.messages 8 full |> List.exactlyOne |> Protobuf.parse
    Assert.Equal(("ai.onnx.ml", 3L), (Protobuf.string 1 opset, Protobuf.integer 2 opset))
    let entries = Protobuf.messages 14 full |> List.map Protobuf.parse |> List.map (fun e -> Protobuf.string 1 e, Protobuf.string 2 e)
    Assert.Equal<(string * string) list>([ "k", "v"; "x", "y" ], entries)

[<Fact>]
let ``ToModel refuses a null network by name`` () =
    Assert.Equal("network", Assert.Throws<ArgumentNullException>(fun () -> OnnxExport.ToModel(Unchecked.defaultof<Network>) |> ignore).ParamName)

[<Fact>]
let ``ToModel looks layers and activations up in the registries given, not the built-ins`` () =
    let network = Network.Dense([ 2; 2 ], Relu(), Identity())
    let noLayers = Engine.Registry<LayerExporter>.FromAssemblies()
    let noActivations = Engine.Registry<ActivationExporter>.FromAssemblies()
    Assert.Contains("no ONNX exporter writes Dense layers", Assert.Throws<ArgumentException>(fun () -> OnnxExport.ToModel(network, layers = noLayers) |> ignore).Message)
    Assert.Contains("the activation 'identity' has no ONNX equivalent", Assert.Throws<ArgumentException>(fun () -> OnnxExport.ToModel(network, activations = noActivations) |> ignore).Message)

[<Fact>]
let ``a convolution's kernels and biases are named as in the model file`` () =
    let conv = Conv2D(ImageShape(1, 3, 3), 2, 2, 2, 1, "valid", Relu())
    let _, graph = decode (Network([ conv :> Layer ])) None OnnxDataType.Double
    let names = Protobuf.messages 5 graph |> List.map Protobuf.parse |> List.map (Protobuf.string 8)
    Assert.Contains("layers.0.weight", names)
    Assert.Contains("layers.0.bias", names)

[<Fact>]
let ``a model's element type is Float or Double`` () =
    let e = Assert.Throws<ArgumentException>(fun () -> OnnxExport.ToModel(Network.Dense([ 2; 2 ], Relu(), Identity()), elementType = OnnxDataType.Int64) |> ignore)
    Assert.Equal("elementType", e.ParamName)
    for named in [ "Float"; "Double"; "Int64" ] do Assert.Contains(named, e.Message)
