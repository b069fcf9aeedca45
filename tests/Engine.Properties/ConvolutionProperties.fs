/// Property 1 for convolutional networks: random conv/pool stages followed by dense layers, every ∂C/∂K, ∂C/∂b, ∂C/∂W and ∂C/∂x
/// against the 5-point stencil and dual numbers, plus the tie convention of max pooling.
module ConvolutionProperties

open System
open Xunit
open Xunit.Abstractions
open FsCheck
open FsCheck.FSharp
open Engine.Activations
open Engine.Losses
open Engine.Networks
open Generators

/// A convolution or pooling stage.
type Stage =
    | Conv of channels: int * kernel: int * stride: int * padding: string * activation: string
    | Pool of isMax: bool * size: int * stride: int

/// A convolutional network to test: an input image, 1–3 stages, dense layers [(width, activation)] (the last is the output).
type ConvTopology =
    { Input: int * int * int
      Stages: Stage list
      Dense: (int * string) list
      Loss: string
      Batch: int
      Seed: int }
    override this.ToString() = sprintf "input %A, stages %A, dense %A, loss %s, batch %d, seed %d" this.Input this.Stages this.Dense this.Loss this.Batch this.Seed

let private stage =
    gen {
        let! isConv = Gen.frequency [ 3, Gen.constant true; 2, Gen.constant false ]
        if isConv then
            let! channels = Gen.choose (1, 4)
            let! kernel = Gen.choose (1, 5)
            let! stride = Gen.choose (1, 3)
            let! padding = Gen.elements [ "valid"; "same"; "1"; "2" ]
            let! activation = Gen.elements activations.Names
            return Conv(channels, kernel, stride, padding, activation)
        else
            let! isMax = Gen.elements [ true; false ]
            let! size = Gen.choose (1, 3)
            let! stride = Gen.choose (1, 3)
            return Pool(isMax, size, stride)
    }

let private topology (size: int) =
    gen {
        let maxSide = 2 + min 10 (size / 8)
        let! input = Gen.zip3 (Gen.choose (1, 4)) (Gen.choose (1, maxSide)) (Gen.choose (1, maxSide))
        let! stages = Gen.choose (1, 3) |> Gen.bind (fun n -> Gen.listOfLength n stage)
        let! hidden = Gen.choose (0, 1) |> Gen.bind (fun n -> Gen.listOfLength n (Gen.zip (Gen.choose (1, 8)) (Gen.elements activations.Names)))
        let! outputWidth = Gen.choose (1, 5)
        let! outputActivation = Gen.elements activations.Names
        let! loss = Gen.elements (losses.All |> Seq.filter (fun l -> compatible l (activations.Get outputActivation)) |> Seq.map _.Name)
        let! batch = Gen.choose (1, 2)
        let! seed = Gen.choose (0, Int32.MaxValue)
        return { Input = input; Stages = stages; Dense = hidden @ [ outputWidth, outputActivation ]; Loss = loss; Batch = batch; Seed = seed }
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

/// Random convolutional topologies, bounded by FsCheck's size: 1–4 channels, images 1–12 a side, kernels 1–5, strides 1–3.
let topologies = Arb.fromGenShrink (Gen.sized topology, shrink)

/// The layers of a topology, or None where a stage does not fit the image it receives.
let layers (t: ConvTopology) : Layer list option =
    try
        let c, h, w = t.Input
        let mutable image = ImageShape(c, h, w)
        let convolution =
            [ for s in t.Stages do
                let layer: Layer =
                    match s with
                    | Conv(channels, kernel, stride, padding, activation) ->
                        let conv = Conv2D(image, channels, kernel, kernel, stride, padding, activations.Get activation)
                        image <- conv.OutputShape
                        conv
                    | Pool(true, size, stride) -> let p = MaxPool2D(image, size, stride) in image <- p.OutputShape; p
                    | Pool(false, size, stride) -> let p = AvgPool2D(image, size, stride) in image <- p.OutputShape; p
                yield layer ]
        let flatten = Flatten(image) :> Layer
        let mutable width = image.Size
        let dense =
            [ for units, activation in t.Dense do
                let layer = Dense(width, units, activations.Get activation) :> Layer
                width <- units
                yield layer ]
        Some(convolution @ [ flatten ] @ dense)
    with :? ArgumentException -> None

/// Weights of variance 1/fan_in, inputs standard normal, and each bias chosen among a few draws to keep the pre-activations it
/// shifts as far from the activation's kinks as it can (no margin can be promised: the bias is shared by every position).
let build (t: ConvTopology) : Case option =
    match layers t with
    | None -> None
    | Some layerList ->
        let random = Random t.Seed
        let network = Network(layerList)
        let loss = losses.Get t.Loss
        let inputs = Array.init (t.Batch * network.InputSize) (fun _ -> gaussian random)
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
                    biases[j] <- Seq.init 40 (fun k -> if k = 0 then 0.0 else 0.5 * gaussian random) |> Seq.maxBy distance
            | _ -> ()
            previous <- layer.Forward(ReadOnlySpan previous, t.Batch).ToArray()
        let outputs = previous
        match drawTargets random loss network.OutputSize t.Batch with
        | None -> None
        | Some(_, targets) ->
            let inDomain = not loss.RequiresProbabilities || Array.forall (fun a -> a > 0.0 && a < 1.0) outputs
            let topology = { Widths = [ network.InputSize; network.OutputSize ]; Activations = []; Loss = t.Loss; Batch = t.Batch; Seed = t.Seed }
            if inDomain then Some { Topology = topology; Network = network; Loss = loss; Inputs = inputs; Targets = targets } else None

let numericalLog = Settings.ErrorLog "1. CNN dC/dK, dC/db, dC/dW, dC/dx vs 5-point stencil"

let exactLog = Settings.ErrorLog "1. CNN dC/dK, dC/db, dC/dW, dC/dx vs dual numbers"

type Tests(output: ITestOutputHelper) =
    [<Fact>]
    member _.``every gradient of random convolutional networks matches the 5-point stencil and dual numbers`` () =
        let skipped = ref 0
        let mutable cases = 0
        let property =
            Prop.forAll topologies (fun topology ->
                match build topology with
                | None -> Prop.ofTestable true
                | Some case ->
                    cases <- cases + 1
                    let failures = GradientProperties.checkWith (GradientProperties.SkipStraddles skipped) numericalLog exactLog case
                    failures.Count = 0 |> Prop.label (sprintf "%O\n%s" topology (String.Join("\n", Seq.truncate 5 failures))))
        try Check.One(Settings.config 150, property)
        finally
            output.WriteLine(numericalLog.Summary())
            output.WriteLine(exactLog.Summary())
            output.WriteLine(sprintf "values whose stencil crossed a kink, checked by dual numbers only: %d" skipped.Value)
