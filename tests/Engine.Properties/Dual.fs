/// Forward-mode dual numbers: a value and one directional derivative, propagated exactly by the chain rule.
module Dual

/// v + d·ε with ε² = 0.
[<Struct>]
type Dual =
    { V: float; D: float }
    static member (+)(a: Dual, b: Dual) = { V = a.V + b.V; D = a.D + b.D }
    static member (-)(a: Dual, b: Dual) = { V = a.V - b.V; D = a.D - b.D }
    static member (*)(a: Dual, b: Dual) = { V = a.V * b.V; D = a.D * b.V + a.V * b.D }
    static member (/)(a: Dual, b: Dual) = { V = a.V / b.V; D = (a.D * b.V - a.V * b.D) / (b.V * b.V) }
    static member (~-)(a: Dual) = { V = -a.V; D = -a.D }
    static member (+)(a: Dual, c: float) = { V = a.V + c; D = a.D }
    static member (+)(c: float, a: Dual) = { V = c + a.V; D = a.D }
    static member (-)(a: Dual, c: float) = { V = a.V - c; D = a.D }
    static member (-)(c: float, a: Dual) = { V = c - a.V; D = -a.D }
    static member (*)(a: Dual, c: float) = { V = a.V * c; D = a.D * c }
    static member (*)(c: float, a: Dual) = { V = c * a.V; D = c * a.D }
    static member (/)(a: Dual, c: float) = { V = a.V / c; D = a.D / c }
    static member (/)(c: float, a: Dual) = { V = c / a.V; D = -c * a.D / (a.V * a.V) }

let constant v = { V = v; D = 0.0 }
let variable v = { V = v; D = 1.0 }
let exp (a: Dual) = let e = System.Math.Exp a.V in { V = e; D = e * a.D }
let log (a: Dual) = { V = System.Math.Log a.V; D = a.D / a.V }
let tanh (a: Dual) = let t = System.Math.Tanh a.V in { V = t; D = (1.0 - t * t) * a.D }
/// |a|, differentiated on the side of a's sign (0 at 0).
let abs (a: Dual) = if a.V > 0.0 then a elif a.V < 0.0 then -a else constant 0.0
/// max(0, a), with derivative 0 at 0.
let positivePart (a: Dual) = if a.V > 0.0 then a else constant 0.0
