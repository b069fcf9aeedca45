/// One row per built-in activation and loss: its formula written again, independently of the engine, over dual numbers, with the
/// instance's hyperparameters. A registered activation or loss without a row is still verified numerically; the completeness test
/// lists it.
module ReferenceTable

open System
open Engine.Activations
open Engine.Losses
open Engine.Verification

/// The value of an instance's hyperparameter, or `fallback` for a type that does not declare it (e.g. a test double).
let private hyperparameter (name: string) (fallback: 'T) (instance: obj) : 'T =
    Engine.Hyperparameters.ValuesOf instance |> Seq.tryFind (fun struct (h, _) -> h.Name = name) |> Option.map (fun struct (_, v) -> unbox<'T> v) |> Option.defaultValue fallback

let private sigmoid (z: Dual) = 1.0 / (1.0 + exp (-z))
let private sum (xs: Dual[]) = Array.fold (+) (Dual.constant 0.0) xs
let private mean (xs: Dual[]) = sum xs / float xs.Length

/// Activations by name: the reference for an instance.
let activations: Map<string, Activation -> ActivationReference> =
    Map [
        "identity", fun _ -> Elementwise id
        "step", fun _ -> Elementwise(fun z -> Dual.constant (if z.V >= 0.0 then 1.0 else 0.0))
        "sigmoid", fun _ -> Elementwise sigmoid
        "tanh", fun _ -> Elementwise tanh
        "relu", fun _ -> Elementwise Dual.positivePart
        "leaky-relu", fun a -> let s = hyperparameter "negativeSlope" LeakyRelu.DefaultNegativeSlope a in Elementwise(fun z -> if z.V > 0.0 then z else s * z)
        "elu", fun a -> let alpha = hyperparameter "alpha" 1.0 a in Elementwise(fun z -> if z.V > 0.0 then z else alpha * (exp z - 1.0))
        "softplus", fun _ -> Elementwise(fun z -> log (1.0 + exp z))
        "silu", fun _ -> Elementwise(fun z -> z * sigmoid z)
        "gelu", fun _ -> Elementwise(fun z -> 0.5 * z * (1.0 + tanh (sqrt (2.0 / Math.PI) * (z + 0.044715 * z * z * z))))
        "softsign", fun _ -> Elementwise(fun z -> z / (1.0 + abs z))
        "softmax", fun _ -> Rowwise(fun z -> let e = Array.map exp z in let s = sum e in Array.map (fun x -> x / s) e)
    ]

/// Losses by name: the per-sample reference L(output row, target row) for an instance.
let losses: Map<string, Loss -> (Dual[] -> float[] -> Dual)> =
    Map [
        "mse", fun l ->
            let squares (a: Dual[]) (y: float[]) = sum (Array.map2 (fun (o: Dual) t -> (o - t) * (o - t)) a y)
            match hyperparameter "scale" SquaredErrorScale.MeanOverOutputs l with
            | SquaredErrorScale.MeanOverOutputs -> fun a y -> squares a y / float a.Length
            | SquaredErrorScale.HalfSum -> fun a y -> 0.5 * squares a y
            | _ -> squares
        "mae", fun _ -> fun a y -> mean (Array.map2 (fun (o: Dual) t -> abs (o - t)) a y)
        "huber", fun l ->
            let d = hyperparameter "delta" 1.0 l
            fun a y -> mean (Array.map2 (fun (o: Dual) t -> let r = abs (o - t) in if r.V <= d then 0.5 * r * r else d * (r - 0.5 * d)) a y)
        "bce", fun _ -> fun a y -> -(mean (Array.map2 (fun (o: Dual) t -> t * log o + (1.0 - t) * log (1.0 - o)) a y))
        "cce", fun _ -> fun a y -> -(Array.fold2 (fun s (o: Dual) t -> s + t * log o) (Dual.constant 0.0) a y)
        "sparse-cce", fun _ -> fun a y -> -(log a[int y[0]])
        "hinge", fun _ -> fun a y -> mean (Array.map2 (fun (o: Dual) t -> Dual.positivePart (1.0 - t * o)) a y)
        "perceptron", fun _ -> fun a y -> mean (Array.map2 (fun (o: Dual) t -> Dual.positivePart (-(t * o))) a y)
    ]

/// The reference of an activation instance, if its name has a row.
let activation (a: Activation) = activations.TryFind a.Name |> Option.map (fun row -> row a)

/// The reference of a loss instance, if its name has a row.
let loss (l: Loss) = losses.TryFind l.Name |> Option.map (fun row -> row l)
