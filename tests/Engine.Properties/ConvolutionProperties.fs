/// Property 1 for convolutional networks: random convolution and pooling stages followed by dense layers, every ∂C/∂K, ∂C/∂b,
/// ∂C/∂W and ∂C/∂x against the 5-point stencil and dual numbers. Every constructor setting of every stage is drawn: kernels of
/// any height and width, strides 1–3, 'valid', 'same' (asymmetric where the padding is odd) and explicit padding, on images whose
/// height and width are drawn apart; pooling windows and strides, the default stride (0) included.
module ConvolutionProperties

open System
open Xunit
open Xunit.Abstractions
open FsCheck
open FsCheck.FSharp
open Engine.Activations
open Engine.Losses
open Engine.Networks
open Engine.Verification

/// A convolution or pooling stage, with every constructor argument but the input shape (which the previous stage gives).
type Stage =
    | Conv of channels: int * kernelHeight: int * kernelWidth: int * stride: int * padding: string * activation: Component
    | Pool of isMax: bool * size: int * stride: int

/// A convolutional network to test: an input image [c, h, w], 1–3 stages, dense layers (width, activation), the last the output.
type ConvTopology =
    { Input: int * int * int
      Stages: Stage list
      Dense: (int * Component) list
      Loss: Component
      Batch: int
      Seed: int }
    override this.ToString() =
        let stage = function
            | Conv(c, kh, kw, s, p, a) -> sprintf "conv %d×%d×%d stride %d padding %s %O" c kh kw s p a
            | Pool(isMax, size, s) -> sprintf "%s %d stride %d" (if isMax then "maxpool" else "avgpool") size s
        sprintf "input %A, stages [%s], dense [%s], loss %O, batch %d, seed %d" this.Input (String.Join("; ", List.map stage this.Stages))
            (String.Join("; ", this.Dense |> List.map (fun (w, a) -> sprintf "%d %O" w a))) this.Loss this.Batch this.Seed

/// The output side of a convolution along one axis of n pixels: 'same' gives ⌈n/s⌉, else (n + 2p − k)/s + 1.
let private convolved (padding: string) (n: int) (k: int) (s: int) =
    match padding with
    | "same" -> (n + s - 1) / s
    | "valid" -> (n - k) / s + 1
    | p -> (n + 2 * int p - k) / s + 1

/// A stage that fits an image of h × w pixels, and the image it gives.
let private stage (h: int, w: int) =
    gen {
        let! isConv = Gen.frequency [ 3, Gen.constant true; 2, Gen.constant false ]
        if isConv then
            let! padding = Gen.elements [ "valid"; "same"; "0"; "1"; "2" ]
            // A kernel fits the padded image ('same' pads as much as the kernel needs).
            let room n = match padding with "same" -> 5 | "valid" -> min 5 n | p -> min 5 (n + 2 * int p)
            let! kernelHeight = Gen.choose (1, room h)
            let! kernelWidth = Gen.choose (1, room w)
            let! stride = Gen.choose (1, 3)
            let! channels = Gen.choose (1, 4)
            let! activation = Draw.componentOf Suite.activations Suite.activations.Names
            return Conv(channels, kernelHeight, kernelWidth, stride, padding, activation),
                   (convolved padding h kernelHeight stride, convolved padding w kernelWidth stride), channels
        else
            let! isMax = Gen.elements [ true; false ]
            let! size = Gen.choose (1, min 3 (min h w))
            let! stride = Gen.choose (0, 3)
            let step = if stride = 0 then size else stride
            return Pool(isMax, size, stride), ((h - size) / step + 1, (w - size) / step + 1), -1
    }

let private topology (size: int) =
    gen {
        let maxSide = 2 + min 10 (size / 8)
        let! c, h, w = Gen.zip3 (Gen.choose (1, 4)) (Gen.choose (1, maxSide)) (Gen.choose (1, maxSide))
        let! count = Gen.choose (1, 3)
        let rec stages n image =
            if n = 0 then Gen.constant []
            else gen {
                let! s, next, _ = stage image
                let! rest = stages (n - 1) next
                return s :: rest }
        let! stages = stages count (h, w)
        let! hidden = Gen.choose (0, 1) |> Gen.bind (fun n -> Gen.listOfLength n (Gen.zip (Gen.choose (1, 8)) (Draw.componentOf Suite.activations Suite.activations.Names)))
        let! outputWidth = Gen.choose (1, 5)
        let! output = Draw.componentOf Suite.activations Suite.activations.Names
        let outputActivation = Suite.activations.Get output.Name
        let! loss = Draw.componentOf Suite.losses (Suite.losses.All |> Seq.filter (fun l -> DenseNetworks.compatible l outputActivation) |> Seq.map _.Name)
        let! batch = Gen.choose (1, 2)
        let! seed = Gen.choose (0, Int32.MaxValue)
        return { Input = (c, h, w); Stages = stages; Dense = hidden @ [ outputWidth, output ]; Loss = loss; Batch = batch; Seed = seed }
    }

let private shrink (t: ConvTopology) =
    let c, h, w = t.Input
    seq {
        for i in 0 .. t.Stages.Length - 1 do if t.Stages.Length > 1 then yield { t with Stages = List.removeAt i t.Stages }
        if t.Dense.Length > 1 then yield { t with Dense = List.tail t.Dense }
        if c > 1 then yield { t with Input = (1, h, w) }
        if h > 1 then yield { t with Input = (c, h / 2, w) }
        if w > 1 then yield { t with Input = (c, h, w / 2) }
        if t.Batch > 1 then yield { t with Batch = 1 }
    }

/// Random convolutional topologies, bounded by FsCheck's size: 1–4 channels, images 1–12 a side, kernels 1–5 by 1–5, strides
/// 1–3, every stage fitting the image it receives. (A shrunk topology may not fit: it is then not built, and not a failure.)
let topologies = Arb.fromGenShrink (Gen.sized topology, shrink)

/// The layers of a topology, built through Coverage.construct so that every constructor argument is recorded; Error where a
/// stage does not fit the image it receives.
let layers (t: ConvTopology) : Result<Layer list, string> =
    try
        let c, h, w = t.Input
        let mutable image = ImageShape(c, h, w)
        let convolution =
            [ for s in t.Stages do
                let layer: Layer =
                    match s with
                    | Conv(channels, kernelHeight, kernelWidth, stride, padding, activation) ->
                        let conv =
                            Coverage.construct<Conv2D>
                                [ "input", box image; "outChannels", box channels; "kernelHeight", box kernelHeight; "kernelWidth", box kernelWidth
                                  "stride", box stride; "padding", box padding; "activation", box (Draw.create Suite.activations activation) ]
                        if padding = "same" then
                            let pad = conv.Pad
                            Coverage.record "Conv2D" "same padding, asymmetric, on a non-square image"
                                (string (image.Height <> image.Width && (pad.Top <> pad.Bottom || pad.Left <> pad.Right)))
                        image <- conv.OutputShape
                        conv
                    | Pool(true, size, stride) ->
                        let p = Coverage.construct<MaxPool2D> [ "input", box image; "size", box size; "stride", box stride ]
                        image <- p.OutputShape
                        p
                    | Pool(false, size, stride) ->
                        let p = Coverage.construct<AvgPool2D> [ "input", box image; "size", box size; "stride", box stride ]
                        image <- p.OutputShape
                        p
                yield layer ]
        let flatten = Coverage.construct<Flatten> [ "input", box image ] :> Layer
        let mutable width = image.Size
        let dense =
            [ for units, activation in t.Dense do
                let layer = Coverage.construct<Dense> [ "inputSize", box width; "outputSize", box units; "activation", box (Draw.create Suite.activations activation) ]
                width <- units
                yield layer :> Layer ]
        Ok(convolution @ [ flatten ] @ dense)
    with :? ArgumentException as e -> Error(sprintf "a stage does not fit its input: %s" e.Message)

/// Weights of variance 1/fan_in, inputs standard normal, and each bias chosen among a few draws to keep the pre-activations it
/// shifts as far from the activation's kinks as it can (no margin can be promised: the bias is shared by every position).
let build (t: ConvTopology) : Result<Case, string> =
    match layers t with
    | Error reason -> Error reason
    | Ok layerList ->
        let random = Random t.Seed
        let network = Network(layerList)
        let loss = Draw.create Suite.losses t.Loss
        let inputs = Array.init (t.Batch * network.InputSize) (fun _ -> Engine.Numerics.StandardNormal random)
        let mutable previous = inputs
        for layer in layerList do
            match layer with
            | :? ActivatedLayer as layer ->
                let weights, biases = layer.Parameters[0].Values, layer.Parameters[1].Values
                let fanIn = float (weights.Length / biases.Length)
                for i in 0 .. weights.Length - 1 do weights[i] <- (2.0 * random.NextDouble() - 1.0) * sqrt (3.0 / fanIn)
                Array.Clear biases
                layer.Forward(ReadOnlySpan previous, t.Batch).Length |> ignore
                let u = layer.PreActivations.ToArray()
                // Which pre-activations bias j shifts: a dense unit's column, or a convolution channel's positions.
                let shifted j = [| for i in 0 .. u.Length - 1 do if (if layer :? Conv2D then (i % layer.OutputSize) / (layer.OutputSize / biases.Length) else i % biases.Length) = j then yield u[i] |]
                for j in 0 .. biases.Length - 1 do
                    let values = shifted j
                    let distance b = values |> Array.fold (fun d v -> min d (layer.Activation.DistanceToKink(v + b))) Double.PositiveInfinity
                    biases[j] <- Seq.init 40 (fun k -> if k = 0 then 0.0 else 0.5 * Engine.Numerics.StandardNormal random) |> Seq.maxBy distance
            | _ -> ()
            previous <- layer.Forward(ReadOnlySpan previous, t.Batch).ToArray()
        let outputs = previous
        match Engine.Verification.RandomTargets.Family(loss, network.OutputSize, random) with
        | null -> Error(sprintf "no family of random targets satisfies the %s loss" loss.Name)
        | family ->
            let targets = Array.concat (Array.init t.Batch (fun _ -> family.Invoke()))
            // The cross-entropies are defined on outputs in (0, 1); a softmax of width 1 is the constant 1.
            if loss.RequiresProbabilities && not (Array.forall (fun a -> a > 0.0 && a < 1.0) outputs) then
                Error "an output the loss takes the logarithm of is 0 or 1"
            else Ok { Description = string t; Network = network; Loss = loss; Inputs = inputs; Targets = targets; Batch = t.Batch }

let numericalLog = Accuracy "1. CNN dC/dK, dC/db, dC/dW, dC/dx vs 5-point stencil"
let exactLog = Accuracy "1. CNN dC/dK, dC/db, dC/dW, dC/dx vs dual numbers"

type Tests(output: ITestOutputHelper) =
    [<Fact>]
    member _.``every gradient of random convolutional networks matches the 5-point stencil and dual numbers`` () =
        let skipped = ref 0
        Suite.check output "1. gradients of random convolutional networks" 150 [ numericalLog; exactLog ]
            (fun () -> [ sprintf "values whose stencil crossed a kink, checked by dual numbers only: %d" skipped.Value ]) topologies (fun t ->
                match build t with
                | Error reason -> NotBuilt reason
                | Ok case -> Checked(NetworkCheck.Check(Some skipped, numericalLog, GradientProperties.exactOracle exactLog case, case)))
