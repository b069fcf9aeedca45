namespace Engine.Verification

open System

/// <summary>
/// A dual number v + d·ε with ε² = 0: its value <c>V</c> and one directional derivative <c>D</c>, carried exactly through every
/// operation by the chain rule (forward-mode automatic differentiation). A reference formula written over <see cref="Dual"/> gives
/// the exact derivative of what it computes, the oracle the checks compare an analytic backward pass with.
/// </summary>
/// <remarks>F#'s <c>exp</c>, <c>log</c>, <c>tanh</c>, <c>sqrt</c> and <c>abs</c> work on it directly; from C# use <c>Dual.Exp</c> and so on.</remarks>
[<Struct>]
type Dual =
    { /// <summary>The value.</summary>
      V: float
      /// <summary>The derivative along the seeded direction.</summary>
      D: float }

    /// <summary>a + b.</summary>
    static member (+)(a: Dual, b: Dual) = { V = a.V + b.V; D = a.D + b.D }
    /// <summary>a − b.</summary>
    static member (-)(a: Dual, b: Dual) = { V = a.V - b.V; D = a.D - b.D }
    /// <summary>a·b.</summary>
    static member (*)(a: Dual, b: Dual) = { V = a.V * b.V; D = a.D * b.V + a.V * b.D }
    /// <summary>a / b.</summary>
    static member (/)(a: Dual, b: Dual) = { V = a.V / b.V; D = (a.D * b.V - a.V * b.D) / (b.V * b.V) }
    /// <summary>−a.</summary>
    static member (~-)(a: Dual) = { V = -a.V; D = -a.D }
    /// <summary>a + c.</summary>
    static member (+)(a: Dual, c: float) = { V = a.V + c; D = a.D }
    /// <summary>c + a.</summary>
    static member (+)(c: float, a: Dual) = { V = c + a.V; D = a.D }
    /// <summary>a − c.</summary>
    static member (-)(a: Dual, c: float) = { V = a.V - c; D = a.D }
    /// <summary>c − a.</summary>
    static member (-)(c: float, a: Dual) = { V = c - a.V; D = -a.D }
    /// <summary>a·c.</summary>
    static member (*)(a: Dual, c: float) = { V = a.V * c; D = a.D * c }
    /// <summary>c·a.</summary>
    static member (*)(c: float, a: Dual) = { V = c * a.V; D = c * a.D }
    /// <summary>a / c.</summary>
    static member (/)(a: Dual, c: float) = { V = a.V / c; D = a.D / c }
    /// <summary>c / a.</summary>
    static member (/)(c: float, a: Dual) = { V = c / a.V; D = -c * a.D / (a.V * a.V) }
    /// <summary>eᵃ.</summary>
    static member Exp(a: Dual) = let e = Math.Exp a.V in { V = e; D = e * a.D }
    /// <summary>ln a.</summary>
    static member Log(a: Dual) = { V = Math.Log a.V; D = a.D / a.V }
    /// <summary>tanh a.</summary>
    static member Tanh(a: Dual) = let t = Math.Tanh a.V in { V = t; D = (1.0 - t * t) * a.D }
    /// <summary>√a.</summary>
    static member Sqrt(a: Dual) = let s = Math.Sqrt a.V in { V = s; D = a.D / (2.0 * s) }
    /// <summary>|a|, differentiated on the side of a's sign (derivative 0 at 0).</summary>
    static member Abs(a: Dual) = if a.V > 0.0 then a elif a.V < 0.0 then -a else { V = 0.0; D = 0.0 }
    /// <summary>A constant: derivative 0.</summary>
    static member Constant(v: float) = { V = v; D = 0.0 }
    /// <summary>The variable differentiated by: derivative 1.</summary>
    static member Variable(v: float) = { V = v; D = 1.0 }
    /// <summary>max(0, a), with derivative 0 at 0.</summary>
    static member PositivePart(a: Dual) = if a.V > 0.0 then a else { V = 0.0; D = 0.0 }
    /// <inheritdoc/>
    override this.ToString() = sprintf "%g + %gε" this.V this.D

/// Dual numbers in F# style.
[<RequireQualifiedAccess>]
module Dual =
    /// A constant: derivative 0.
    let constant v = Dual.Constant v
    /// The variable differentiated by: derivative 1.
    let variable v = Dual.Variable v
    /// max(0, a), with derivative 0 at 0.
    let positivePart a = Dual.PositivePart a
