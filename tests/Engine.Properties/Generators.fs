/// Random networks as symbolic models (FsCheck generates and shrinks the model; the data follows from its seed),
/// placed so that no pre-activation or loss argument lies within `margin` of a kink the engine declares.
module Generators

open System
open FsCheck
open FsCheck.FSharp
open Engine
open Engine.Activations
open Engine.Losses
open Engine.Networks

/// A network to test: widths [input; hidden…; output], one activation per layer, a loss, a batch size and the data's seed.
type Topology =
    { Widths: int list
      Activations: string list
      Loss: string
      Batch: int
      Seed: int }
    override this.ToString() =
        sprintf "widths %A, activations %A, loss %s, batch %d, seed %d" this.Widths this.Activations this.Loss this.Batch this.Seed

let activations = Registry<Activation>.Builtin
let losses = Registry<Loss>.Builtin

/// Distance every pre-activation and loss argument keeps from a declared kink. The stencil moves a parameter by at
/// most 4h = 0.004·max(1, |θ|), and a pre-activation by that times |∂z/∂θ|; the gradient property checks that every
/// evaluation kept half the margin, so finite differences never straddle a kink.
let margin = 0.05

/// Whether `loss` can follow `activation`, as the engine declares it (e.g. cce needs softmax, bce independent outputs in (0, 1)).
let compatible (loss: Loss) (activation: Activation) = isNull (loss.Incompatibility activation)

let private topology (size: int) =
    gen {
        let maxDepth = 1 + min 5 (size / 15)
        let maxWidth = 1 + min 19 (size / 4)
        let! depth = Gen.choose (1, maxDepth)
        let! widths = Gen.listOfLength (depth + 1) (Gen.choose (1, maxWidth))
        let! hidden = Gen.listOfLength (depth - 1) (Gen.elements activations.Names)
        let! output = Gen.elements activations.Names
        let! loss = Gen.elements (losses.All |> Seq.filter (fun l -> compatible l (activations.Get output)) |> Seq.map _.Name)
        let! batch = Gen.choose (1, 1 + min 8 (size / 10))
        let! seed = Gen.choose (0, Int32.MaxValue)
        return { Widths = widths; Activations = hidden @ [ output ]; Loss = loss; Batch = batch; Seed = seed }
    }

/// Smaller networks first: drop a hidden layer, narrow a layer, shrink the batch.
let private shrink (t: Topology) =
    seq {
        for l in 1 .. t.Activations.Length - 1 do
            yield { t with Widths = List.removeAt l t.Widths; Activations = List.removeAt (l - 1) t.Activations }
        for i in 0 .. t.Widths.Length - 1 do
            if t.Widths[i] > 1 then
                yield { t with Widths = List.updateAt i (t.Widths[i] / 2) t.Widths }
                yield { t with Widths = List.updateAt i (t.Widths[i] - 1) t.Widths }
        if t.Batch > 1 then yield { t with Batch = 1 }; yield { t with Batch = t.Batch - 1 }
    }
    |> Seq.filter (fun s -> compatible (losses.Get s.Loss) (activations.Get(List.last s.Activations)))

/// Random topologies, bounded by FsCheck's size: depth 1–6, widths 1–20, batches 1–9.
let topologies = Arb.fromGenShrink (Gen.sized topology, shrink)

/// A network with its data, ready for the oracles.
type Case =
    { Topology: Topology
      Network: Network
      Loss: Loss
      Inputs: float[]
      Targets: float[] }

let gaussian (random: Random) = Numerics.StandardNormal random

/// Target rows drawn by the engine's RandomTargets (the first family the loss accepts), so that a newly added loss gets valid
/// targets without a test edit; the family is returned too, to redraw from it.
let drawTargets (random: Random) (loss: Loss) (outputs: int) (batch: int) =
    match Engine.Verification.RandomTargets.Family(loss, outputs, random) with
    | null -> None
    | family -> Some((fun () -> family.Invoke()), Array.concat (Array.init batch (fun _ -> family.Invoke())))

let private scalarActivation (activation: Activation) (z: float) =
    let output = [| 0.0 |]
    activation.Forward(ReadOnlySpan [| z |], Span output, 1)
    output[0]

/// Draws weights (variance 1/fan_in) and inputs (standard normal) from the seed, then chooses each bias so that every
/// sample's pre-activation keeps the margin from the activation's kinks (and, at the output, the loss's). None when no
/// placement was found.
let build (t: Topology) : Case option =
    let random = Random t.Seed
    let loss = losses.Get t.Loss
    let layers = List.pairwise t.Widths |> List.mapi (fun l (i, o) -> Dense(i, o, activations.Get t.Activations[l]))
    let network = Network(layers |> List.map (fun l -> l :> Layer))
    let batch = t.Batch
    let inputs = Array.init (batch * t.Widths.Head) (fun _ -> gaussian random)
    match drawTargets random loss network.OutputSize batch with
    | None -> None
    | Some(family, firstTargets) ->
    let mutable targets = firstTargets
    let targetWidth = loss.TargetWidth network.OutputSize
    let lossClear (outputs: float[]) (i: int) (j: int) =
        targetWidth <> network.OutputSize || loss.DistanceToKink(outputs[i * network.OutputSize + j], targets[i * targetWidth + j]) >= margin
    let mutable placed = true
    let mutable previous = inputs
    for l, layer in List.indexed layers do
        if placed then
            let bound = Math.Sqrt(3.0 / float layer.InputSize)
            for w in 0 .. layer.Weights.Length - 1 do layer.Weights[w] <- (2.0 * random.NextDouble() - 1.0) * bound
            Array.Clear layer.Biases
            layer.Forward(ReadOnlySpan previous, batch).Length |> ignore
            let u = layer.PreActivations.ToArray()
            let isOutput = l = layers.Length - 1
            let elementwise = not (layer.Activation :? Softmax)
            for j in 0 .. layer.OutputSize - 1 do
                let fits b =
                    seq { 0 .. batch - 1 } |> Seq.forall (fun i ->
                        let z = u[i * layer.OutputSize + j] + b
                        layer.Activation.DistanceToKink z >= margin
                        && (not (isOutput && elementwise) || targetWidth <> layer.OutputSize
                            || loss.DistanceToKink(scalarActivation layer.Activation z, targets[i * targetWidth + j]) >= margin))
                match Seq.init 200 (fun k -> if k = 0 then 0.0 else 0.5 * gaussian random) |> Seq.tryFind fits with
                | Some b -> layer.Biases[j] <- b
                | None -> placed <- false
            previous <- layer.Forward(ReadOnlySpan previous, batch).ToArray()
    if not placed then None
    else
        // Row-wise outputs (softmax) cannot be placed one unit at a time: redraw regression targets instead.
        let outputs = previous
        let clear () = Seq.forall (fun (i, j) -> lossClear outputs i j) (Seq.allPairs (seq { 0 .. batch - 1 }) (seq { 0 .. network.OutputSize - 1 }))
        let mutable tries = 0
        while not (clear ()) && tries < 50 do
            targets <- Array.concat (Array.init batch (fun _ -> family ()))
            tries <- tries + 1
        // The cross-entropies are defined on outputs in (0, 1); a softmax of width 1 is the constant 1.
        let inDomain = not loss.RequiresProbabilities || Array.forall (fun a -> a > 0.0 && a < 1.0) outputs
        if clear () && inDomain then Some { Topology = t; Network = network; Loss = loss; Inputs = inputs; Targets = targets } else None
