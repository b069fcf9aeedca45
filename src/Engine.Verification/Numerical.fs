/// The numerical oracle: the derivative of a scalar function by a 5-point central stencil with one Richardson step, and the
/// error measure every check uses.
module Engine.Verification.Numerical

/// Relative step: h = 1e-3·max(1, |θ|).
let relativeStep = 1e-3

/// h for a parameter θ, adjusted so that θ ± h are exactly representable steps.
let step (theta: float) =
    let h = relativeStep * max 1.0 (abs theta)
    (theta + h) - theta

/// f'(θ) by the 5-point stencil D(h) = [−f(θ + 2h) + 8f(θ + h) − 8f(θ − h) + f(θ − 2h)] / 12h, whose error is
/// −h⁴f⁽⁵⁾/30 + O(h⁶), with one Richardson step R = (16·D(h) − D(2h))/15 that cancels the h⁴ term: the truncation error is
/// O(h⁶) ≈ 1e-18·f⁽⁷⁾ and the rounding error about 1.7·ε·|f|/h ≈ 4e-13·|f|. `set` moves the parameter (restored afterwards)
/// and `f` evaluates at it. The stencil reaches θ ± 4h.
let derivative (theta: float) (set: float -> unit) (f: unit -> float) =
    let h = step theta
    let at x = set x; f ()
    let fp1, fm1 = at (theta + h), at (theta - h)
    let fp2, fm2 = at (theta + 2.0 * h), at (theta - 2.0 * h)
    let fp4, fm4 = at (theta + 4.0 * h), at (theta - 4.0 * h)
    set theta
    let stencil (p1: float) m1 p2 m2 (h: float) = (-p2 + 8.0 * p1 - 8.0 * m1 + m2) / (12.0 * h)
    (16.0 * stencil fp1 fm1 fp2 fm2 h - stencil fp2 fm2 fp4 fm4 (2.0 * h)) / 15.0

/// The error measure: |a − b| / max(|a|, |b|, floor). Relative where the derivative is not tiny; the floor turns it into an
/// absolute error below it, where a relative error would only measure rounding noise.
let relativeError (floor: float) (a: float) (b: float) = if a = b then 0.0 else abs (a - b) / max floor (max (abs a) (abs b))
