/// One row per built-in activation and loss: its formula written again, independently of the engine, over dual numbers.
/// A registered activation or loss without a row is still verified numerically; the completeness test lists it.
module ReferenceTable

open Dual

/// An activation's reference: elementwise, or on a whole row (softmax).
type ActivationReference =
    | Elementwise of (Dual -> Dual)
    | Rowwise of (Dual[] -> Dual[])

let private sigmoid (z: Dual) = 1.0 / (1.0 + exp (-z))
let private mean (xs: Dual[]) = Array.fold (+) (constant 0.0) xs / float xs.Length

let activations: Map<string, ActivationReference> =
    Map [
        "identity", Elementwise id
        "step", Elementwise(fun z -> constant (if z.V >= 0.0 then 1.0 else 0.0))
        "sigmoid", Elementwise sigmoid
        "tanh", Elementwise tanh
        "relu", Elementwise(fun z -> if z.V > 0.0 then z else constant 0.0)
        "leaky-relu", Elementwise(fun z -> if z.V > 0.0 then z else 0.01 * z)
        "elu", Elementwise(fun z -> if z.V > 0.0 then z else exp z - 1.0)
        "softplus", Elementwise(fun z -> log (1.0 + exp z))
        "silu", Elementwise(fun z -> z * sigmoid z)
        "gelu", Elementwise(fun z -> 0.5 * z * (1.0 + tanh (sqrt (2.0 / System.Math.PI) * (z + 0.044715 * z * z * z))))
        "softsign", Elementwise(fun z -> z / (1.0 + abs z))
        "softmax", Rowwise(fun z -> let e = Array.map exp z in let s = Array.fold (+) (constant 0.0) e in Array.map (fun x -> x / s) e)
    ]

/// A loss's reference: per-sample L(output row, target row).
let losses: Map<string, Dual[] -> float[] -> Dual> =
    Map [
        "mse", fun a y -> mean (Array.map2 (fun o t -> (o - t) * (o - t)) a y)
        "mae", fun a y -> mean (Array.map2 (fun o t -> abs (o - t)) a y)
        "huber", fun a y -> mean (Array.map2 (fun o t -> let r = abs (o - t) in if r.V <= 1.0 then 0.5 * r * r else r - 0.5) a y)
        "bce", fun a y -> -(mean (Array.map2 (fun o t -> t * log o + (1.0 - t) * log (1.0 - o)) a y))
        "cce", fun a y -> -(Array.fold2 (fun s o t -> s + t * log o) (constant 0.0) a y)
        "sparse-cce", fun a y -> -(log a[int y[0]])
        "hinge", fun a y -> mean (Array.map2 (fun o t -> positivePart (1.0 - t * o)) a y)
        "perceptron", fun a y -> mean (Array.map2 (fun o t -> positivePart (-(t * o))) a y)
    ]

/// Applies an activation reference to one row.
let applyRow (reference: ActivationReference) (z: Dual[]) =
    match reference with
    | Elementwise f -> Array.map f z
    | Rowwise f -> f z
