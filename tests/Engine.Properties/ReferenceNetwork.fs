/// The exact oracle: an independent forward pass over dual numbers (plain loops, no engine code but the parameters it reads),
/// giving ∂C/∂θ for one θ at a time by seeding that θ's tangent with 1. Dense, convolution, pooling and flatten layers.
module ReferenceNetwork

open Engine.Networks
open Engine.Verification

/// One layer, written again from its definition.
type Layer =
    | Dense of weights: float[] * biases: float[] * inputs: int * outputs: int * activation: ActivationReference
    /// Kernels [out, in, kh, kw]; input (channels, height, width); padding (top, left) — bottom and right only shape the output.
    | Convolution of kernels: float[] * biases: float[] * input: (int * int * int) * output: (int * int * int) * kernel: (int * int) * stride: int * padding: (int * int) * activation: ActivationReference
    | MaxPool of input: (int * int * int) * size: int * stride: int
    | AvgPool of input: (int * int * int) * size: int * stride: int
    | Flatten

/// A network's layers and loss, copied out of the engine.
type Reference = { Layers: Layer[]; InputSize: int; Loss: Dual[] -> float[] -> Dual }

/// 'same' padding before the image along one axis, from its definition: the output is ⌈n/s⌉ and the padding needed for it is
/// split with the extra one after.
let private paddingBefore (mode: string) (n: int) (k: int) (s: int) =
    match mode with
    | "valid" -> 0
    | "same" -> max (((n + s - 1) / s - 1) * s + k - n) 0 / 2
    | explicit -> int explicit

/// The reference for a case, or None when an activation or the loss has no row in the table.
let ofCase (case: Case) : Reference option =
    let activation = ReferenceTable.activation
    let shape (s: ImageShape) = s.Channels, s.Height, s.Width
    let layers =
        case.Network.Layers |> Seq.map (fun layer ->
            match layer with
            | :? Engine.Networks.Dense as d ->
                activation d.Activation |> Option.map (fun a -> Dense(Array.copy d.Weights, Array.copy d.Biases, d.InputSize, d.OutputSize, a))
            | :? Conv2D as c ->
                let top = paddingBefore c.PaddingMode c.InputShape.Height c.KernelHeight c.Stride
                let left = paddingBefore c.PaddingMode c.InputShape.Width c.KernelWidth c.Stride
                activation c.Activation |> Option.map (fun a ->
                    Convolution(Array.copy c.Kernels, Array.copy c.Biases, shape c.InputShape, shape c.OutputShape, (c.KernelHeight, c.KernelWidth), c.Stride, (top, left), a))
            | :? MaxPool2D as p -> Some(MaxPool(shape p.InputShape, p.Size, p.Stride))
            | :? AvgPool2D as p -> Some(AvgPool(shape p.InputShape, p.Size, p.Stride))
            | :? Engine.Networks.Flatten -> Some Flatten
            | other -> failwithf "no reference for layer %s" (other.GetType().Name))
        |> Array.ofSeq
    match ReferenceTable.loss case.Loss with
    | Some loss when Array.forall Option.isSome layers ->
        Some { Layers = Array.map Option.get layers; InputSize = case.Network.InputSize; Loss = loss }
    | _ -> None

let private pooled (input: (int * int * int)) size stride (pick: Dual[] -> Dual) (a: Dual[]) =
    let c, h, w = input
    let oh, ow = (h - size) / stride + 1, (w - size) / stride + 1
    [| for ch in 0 .. c - 1 do
         for y in 0 .. oh - 1 do
           for x in 0 .. ow - 1 ->
             pick [| for i in 0 .. size - 1 do
                       for j in 0 .. size - 1 -> a[(ch * h + y * stride + i) * w + x * stride + j] |] |]

/// The layer applied to one sample; `dual p i v` makes parameter p's value v at index i a dual number.
let private apply (l: int) (layer: Layer) (dual: int -> int -> float -> Dual) (a: Dual[]) =
    match layer with
    | Dense(w, b, inputs, outputs, activation) ->
        let z = Array.init outputs (fun j ->
            let mutable s = dual 1 j b[j]
            for k in 0 .. inputs - 1 do s <- s + dual 0 (j * inputs + k) w[j * inputs + k] * a[k]
            s)
        activation.Apply z
    | Convolution(kernels, b, (c, h, w), (outC, oh, ow), (kh, kw), stride, (top, left), activation) ->
        let z =
            [| for o in 0 .. outC - 1 do
                 for y in 0 .. oh - 1 do
                   for x in 0 .. ow - 1 ->
                     let mutable s = dual 1 o b[o]
                     for ch in 0 .. c - 1 do
                       for i in 0 .. kh - 1 do
                         for j in 0 .. kw - 1 do
                           let sy, sx = y * stride + i - top, x * stride + j - left
                           if sy >= 0 && sy < h && sx >= 0 && sx < w then
                             let index = ((o * c + ch) * kh + i) * kw + j
                             s <- s + dual 0 index kernels[index] * a[(ch * h + sy) * w + sx]
                     s |]
        activation.Apply z
    | MaxPool(input, size, stride) ->
        // The first maximum in row-major window order, as the engine documents.
        pooled input size stride (Array.reduce (fun best v -> if v.V > best.V then v else best)) a
    | AvgPool(input, size, stride) -> pooled input size stride (fun window -> Array.reduce (+) window / float window.Length) a
    | Flatten -> a

/// C = (1/batch)·Σᵢ L(aᵢ, yᵢ) over dual numbers: its V is the cost, its D the derivative along the target, which carries the
/// tangent 1 (parameter `index` of parameter `parameter`, 0 weights and 1 biases, of a layer; or an input).
let cost (r: Reference) (seed: Target) (inputs: float[]) (targets: float[]) (batch: int) =
    let targetWidth = targets.Length / batch
    let mutable total = Dual.constant 0.0
    for i in 0 .. batch - 1 do
        let mutable a = Array.init r.InputSize (fun k -> let v = inputs[i * r.InputSize + k] in if seed = Input(i * r.InputSize + k) then Dual.variable v else Dual.constant v)
        for l in 0 .. r.Layers.Length - 1 do
            a <- apply l r.Layers[l] (fun p index v -> if seed = Target.Parameter(l, p, index) then Dual.variable v else Dual.constant v) a
        total <- total + r.Loss a (Array.sub targets (i * targetWidth) targetWidth)
    total / float batch
