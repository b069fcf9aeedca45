/// The exact oracle: an independent forward pass over dual numbers (plain loops, no engine code but the parameters it reads),
/// giving ∂C/∂θ for one θ at a time by seeding that θ's tangent with 1.
module ReferenceNetwork

open Dual
open Engine.Networks
open Generators

/// A dense network's parameters and references, copied out of the engine's layers.
type Reference =
    { Weights: float[][]
      Biases: float[][]
      Sizes: (int * int)[]
      Activations: ReferenceTable.ActivationReference[]
      Loss: Dual[] -> float[] -> Dual }

/// The reference for a case, or None when an activation or the loss has no row in the table.
let ofCase (case: Case) =
    let dense = case.Network.Layers |> Seq.map (fun l -> l :?> Dense) |> Array.ofSeq
    let activations = dense |> Array.map (fun l -> ReferenceTable.activations.TryFind l.Activation.Name)
    match ReferenceTable.losses.TryFind case.Loss.Name with
    | Some loss when Array.forall Option.isSome activations ->
        Some { Weights = dense |> Array.map (fun l -> Array.copy l.Weights)
               Biases = dense |> Array.map (fun l -> Array.copy l.Biases)
               Sizes = dense |> Array.map (fun l -> l.InputSize, l.OutputSize)
               Activations = activations |> Array.map Option.get
               Loss = loss }
    | _ -> None

/// Which value carries the tangent 1.
type Seed =
    | Weight of layer: int * index: int
    | Bias of layer: int * index: int
    | Input of index: int
    | NoSeed

/// C = (1/batch)·Σᵢ L(aᵢ, yᵢ) over dual numbers: its V is the cost, its D the derivative along the seeded value.
let cost (r: Reference) (seed: Seed) (inputs: float[]) (targets: float[]) (batch: int) =
    let dual seeded v = if seeded then variable v else constant v
    let inputWidth = fst r.Sizes[0]
    let outputWidth = snd r.Sizes[r.Sizes.Length - 1]
    let targetWidth = targets.Length / batch
    let mutable total = constant 0.0
    for i in 0 .. batch - 1 do
        let mutable a = Array.init inputWidth (fun k -> dual (seed = Input(i * inputWidth + k)) (inputs[i * inputWidth + k]))
        for l in 0 .. r.Sizes.Length - 1 do
            let inSize, outSize = r.Sizes[l]
            let z =
                Array.init outSize (fun j ->
                    let mutable s = dual (seed = Bias(l, j)) (r.Biases[l][j])
                    for k in 0 .. inSize - 1 do
                        s <- s + dual (seed = Weight(l, j * inSize + k)) (r.Weights[l][j * inSize + k]) * a[k]
                    s)
            a <- ReferenceTable.applyRow r.Activations[l] z
        total <- total + r.Loss a (Array.sub targets (i * targetWidth) targetWidth)
    ignore outputWidth
    total / float batch
