/// The two accuracy criteria, in one place. Both use Numerical.relativeError: |a − b| / max(|a|, |b|, floor), relative above
/// the floor and absolute below it.
module Engine.Verification.Tolerances

/// Against the numerical oracle: ≤ 1e-8.
let numerical = 1e-8

/// The numerical floor for differencing a function of value f: 1e-4·max(1, |f|). The stencil's rounding error is about
/// 4e-13·|f| (Numerical.derivative), which is 1e-8 of a derivative of 4e-5·|f|; below the floor the criterion is the
/// absolute |a − n| ≤ 1e-12·max(1, |f|), a bound on rounding noise rather than on the derivative.
let numericalFloor (value: float) = 1e-4 * max 1.0 (abs value)

/// Against the exact oracle (dual numbers) and between two orders of the same sum: ≤ 1e-12.
let exact = 1e-12

/// The exact floor: 1e-3·max(1, |f|, g∞), g∞ the largest derivative compared. Both sides sum the same terms in a
/// different order, so they differ by rounding of the terms' size: a derivative that cancels to nearly 0 (3e-18 against
/// an exact 0) is held to the absolute |a − d| ≤ 1e-15·max(1, |f|, g∞) instead.
let exactFloor (value: float) (largest: float) = 1e-3 * max 1.0 (max (abs value) largest)

/// Distance every pre-activation and loss argument of a generated case keeps from a declared kink. The stencil moves a
/// value by at most 4h = 0.004·max(1, |θ|), and a pre-activation by that times |∂z/∂θ|; the checks verify that every
/// evaluation kept half the margin, so finite differences never straddle a kink.
let margin = 0.05

/// Between an activation's vectorized and scalar forms on z ∈ [−4, 4] (the test's range), for an output computed with
/// cotangent g (1 for the forward): |vector − scalar| ≤ 2⁻⁴⁷·max(1, |g|). The two forms share every operation but the
/// exponential: Vector.Exp and Math.Exp each return e^x within 1 ulp, so they may differ by 2 ulp, a relative 4u of e^x
/// (u = 2⁻⁵³; a property of tests/Engine.Properties checks the 2 ulp at each vector width). That moves the result by its
/// sensitivity to a relative change of e^x, at most 3·|g| for the three forms that take an exponential on that range (sigmoid ¼,
/// silu |z|/4 ≤ 1 forward and |1 + z(1 − 2s)|/4 ≤ 5/4 backward, elu α·e^z ≤ 3 for α ≤ 3): 12u·|g|. Once their inputs differ,
/// each of the at most six roundings after the exponential may fall on different sides, adding at most 1 ulp (2u) of an
/// intermediate no larger than 4·max(1, |g|) (silu's z(1 − s)): 48u. In all 60u·max(1, |g|) < 2⁻⁴⁷·max(1, |g|).
/// A wrong formula misses by far more; the forms that take no exponential agree bit for bit.
let vectorizedExponential (cotangent: float) = System.Math.ScaleB(1.0, -47) * max 1.0 (abs cotangent)
