/// Running exported models in ONNX Runtime, and drawing random networks to export.
module Runtime

open System
open System.Globalization
open System.IO
open Microsoft.ML.OnnxRuntime
open Engine
open Engine.Activations
open Engine.Data
open Engine.Interop.Onnx
open Engine.Networks

/// The model's bytes as the exporter writes them.
let encode (network: Network) (standardizer: Standardizer option) (elementType: OnnxDataType) =
    use stream = new MemoryStream()
    OnnxExport.Write(stream, OnnxExport.ToModel(network, Option.toObj standardizer, elementType))
    stream.ToArray()

/// A session on the model's bytes, one thread (the machine is shared), ONNX Runtime's default optimizations.
let session (model: byte[]) =
    use options = new SessionOptions(IntraOpNumThreads = 1, InterOpNumThreads = 1)
    new InferenceSession(model, options)

/// The outputs ONNX Runtime computes for `batch` rows of `features` inputs, read back as float64.
let run (session: InferenceSession) (elementType: OnnxDataType) (inputs: float[]) (batch: int) (features: int) =
    use runOptions = new RunOptions()
    let shape = [| int64 batch; int64 features |]
    let input =
        if elementType = OnnxDataType.Double then OrtValue.CreateTensorValueFromMemory(Array.copy inputs, shape)
        else OrtValue.CreateTensorValueFromMemory(Array.map float32 inputs, shape)
    use _ = input
    use results = session.Run(runOptions, [| OnnxGraphBuilder.InputName |], [| input |], [| OnnxGraphBuilder.OutputName |])
    if elementType = OnnxDataType.Double then results[0].GetTensorDataAsSpan<float>().ToArray()
    else results[0].GetTensorDataAsSpan<float32>().ToArray() |> Array.map float

/// A session on the float64 export if ONNX Runtime has a double kernel for every node, else on the float32 export.
let preferDouble (network: Network) (standardizer: Standardizer option) =
    try OnnxDataType.Double, session (encode network standardizer OnnxDataType.Double)
    with :? OnnxRuntimeException as e when e.Message.Contains "NotImplemented" ->
        OnnxDataType.Float, session (encode network standardizer OnnxDataType.Float)

let activations = Registry<Activation>.Builtin

/// The activation with every hyperparameter drawn from its declared range (the defaults when it has none).
let drawActivation (random: Random) (name: string) =
    let defaults = activations.Get name
    let values =
        Hyperparameters.Of(defaults.GetType())
        |> Seq.map (fun h ->
            let value =
                if h.Type = typeof<float> then Hyperparameter.Format(h.Min + random.NextDouble() * (h.Max - h.Min))
                elif h.Type = typeof<int> then Hyperparameter.Format(random.Next(int h.Min, int h.Max + 1))
                elif h.Type = typeof<bool> then Hyperparameter.Format(random.Next 2 = 1)
                else
                    let values = Enum.GetValues h.Type
                    Hyperparameter.Format(nonNull (values.GetValue(random.Next values.Length)))
            h.Name, value)
        |> dict
    activations.Create(name, Collections.Generic.Dictionary values)

let private uniform (random: Random) (scale: float) = (2.0 * random.NextDouble() - 1.0) * scale

/// Random weights (the scheme's), random biases in ±0.5.
let private initialize (random: Random) (network: Network) =
    network.Initialize(WeightInitialization.Glorot, random.Next())
    for layer in network.Layers do
        for p in layer.Parameters do
            if p.Name = "bias" then
                for i in 0 .. p.Count - 1 do p.Values[i] <- uniform random 0.5
    network

/// A dense network of 1–4 layers, widths 1–8, every layer's activation drawn as `activation` (the last one also softmax or identity at times).
let denseNetwork (random: Random) (activation: string) =
    let depth = random.Next(1, 5)
    let widths = Array.init (depth + 1) (fun _ -> random.Next(1, 9))
    Network(
        [ for l in 1..depth ->
            let name = if l = depth && random.Next 3 = 0 then [| "softmax"; "identity" |][random.Next 2] else activation
            Dense(widths[l - 1], widths[l], drawActivation random name) :> Layer ])
    |> initialize random

/// A convolutional network: an optional dense layer reshaped into the image, one or two convolutions (kernel 1–3, stride 1–2,
/// padding valid, same or 0–1), max or average pooling, flatten (or not: a dense layer reads the image directly), a dense output.
let convolutionalNetwork (random: Random) (activation: string) =
    let image = ImageShape(random.Next(1, 4), random.Next(4, 9), random.Next(4, 9))
    let layers = Collections.Generic.List<Layer>()
    let features = if random.Next 4 = 0 then random.Next(1, 6) else image.Size
    if features <> image.Size then layers.Add(Dense(features, image.Size, drawActivation random activation))
    let convolve (input: ImageShape) =
        let kernel = min (random.Next(1, 4)) (min input.Height input.Width)
        let stride = random.Next(1, 3)
        let padding = [| "valid"; "same"; "0"; "1" |][random.Next 4]
        let conv = Conv2D(input, random.Next(1, 4), kernel, min kernel (random.Next(1, 4)), stride, padding, drawActivation random activation)
        layers.Add conv
        conv.OutputShape
    let mutable shape = convolve image
    if random.Next 2 = 0 then shape <- convolve shape
    let size = min 2 (min shape.Height shape.Width)
    let stride = random.Next(1, 3)
    let pool: Pool2D = if random.Next 2 = 0 then MaxPool2D(shape, size, stride) else AvgPool2D(shape, size, stride)
    layers.Add pool
    if random.Next 3 > 0 then layers.Add(Flatten(pool.OutputShape))
    layers.Add(Dense(pool.OutputSize, random.Next(1, 6), drawActivation random (if random.Next 2 = 0 then "softmax" else activation)))
    Network(layers) |> initialize random, features

/// A standardizer with means in ±2 and deviations in [0.5, 3], or none.
let drawStandardizer (random: Random) (features: int) =
    if random.Next 2 = 0 then None
    else Some(Standardizer(Array.init features (fun _ -> uniform random 2.0), Array.init features (fun _ -> 0.5 + 2.5 * random.NextDouble())))

/// Rows of standard normal features times 3.
let drawInputs (random: Random) (batch: int) (features: int) = Array.init (batch * features) (fun _ -> 3.0 * Numerics.StandardNormal random)

/// The engine's outputs for raw rows (standardized first, as nn predict does).
let engineOutputs (network: Network) (standardizer: Standardizer option) (inputs: float[]) (batch: int) =
    let rows =
        match standardizer with
        | Some s -> s.Transform(Dataset(inputs, network.InputSize, Array.zeroCreate batch, 1)).Features
        | None -> inputs
    network.Forward(ReadOnlySpan rows, batch).ToArray()

let invariant (x: float) = x.ToString("G3", CultureInfo.InvariantCulture)
