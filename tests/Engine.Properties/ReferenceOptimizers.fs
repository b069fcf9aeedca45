/// Independent reference implementations of the optimizers, transcribed from the update rules torch.optim documents (one
/// function per algorithm, plain loops, one element at a time), not from the engine. Each keeps its own state and is fed
/// the same gradients as the engine, so the two differ only by rounding. The coupled decay g + λθ is rounded once
/// (a fused multiply-add): near cancellation its last bit is all that is left, and any other rounding of it is a different
/// gradient, not a different rule.
module ReferenceOptimizers

open System

/// One step: rate γ, every parameter's values θ (updated in place) and gradients g, and which parameters take part (a
/// frozen one is skipped: not moved, not decayed, its step count not advanced, as PyTorch skips a parameter without a gradient).
type Step = float -> float[][] -> float[][] -> bool[] -> unit

/// What a reference is built from: the hyperparameters by name, and each parameter's size and whether it is a bias.
type Setup =
    { Hyperparameters: Map<string, obj>
      Sizes: int[]
      IsBias: bool[] }

let private number (s: Setup) name = Convert.ToDouble s.Hyperparameters[name]
let private flag (s: Setup) name = s.Hyperparameters[name] :?> bool
let private zeros (s: Setup) = s.Sizes |> Array.map (fun n -> Array.zeroCreate<float> n)

/// λ for parameter p: the weight decay, except for biases unless decayBiases (Nielsen's network2 decays weights only).
let private decay (s: Setup) p = if s.IsBias[p] && not (flag s "decayBiases") then 0.0 else number s "weightDecay"

/// g + λθ, rounded once.
let private decayed (g: float) lambda (theta: float) = Math.FusedMultiplyAdd(lambda, theta, g)

/// The per-parameter loop: advances each active parameter's step count t and calls `update p t`.
let private perParameter (s: Setup) (update: int -> int -> float -> float[] -> float[] -> unit) : Step =
    let steps = Array.zeroCreate s.Sizes.Length
    fun rate values gradients active ->
        for p in 0 .. values.Length - 1 do
            if active[p] then
                steps[p] <- steps[p] + 1
                update p steps[p] rate values[p] gradients[p]

/// torch.optim.SGD:
///   g ← g + λθ;  if μ ≠ 0: b ← g (t = 1) or μb + (1 − τ)g; g ← g + μb (nesterov) or b;  θ ← θ − γg
let sgd (s: Setup) : Step =
    let mu, tau, nesterov = number s "momentum", number s "dampening", flag s "nesterov"
    let b = zeros s
    perParameter s (fun p t gamma theta grad ->
        let lambda = decay s p
        for i in 0 .. theta.Length - 1 do
            let mutable g = grad[i]
            if lambda <> 0.0 then g <- decayed g lambda theta[i]
            if mu <> 0.0 then
                b[p][i] <- if t > 1 then mu * b[p][i] + (1.0 - tau) * g else g
                g <- if nesterov then g + mu * b[p][i] else b[p][i]
            theta[i] <- theta[i] - gamma * g)

/// torch.optim.Adagrad:
///   state_sum₀ = τ;  γ̃ ← γ/(1 + (t − 1)η);  g ← g + λθ;  state_sum ← state_sum + g²;  θ ← θ − γ̃·g/(√state_sum + ε)
let adagrad (s: Setup) : Step =
    let eta, tau, eps = number s "lrDecay", number s "initialAccumulatorValue", number s "eps"
    let stateSum = s.Sizes |> Array.map (fun n -> Array.create n tau)
    perParameter s (fun p t gamma theta grad ->
        let lambda = decay s p
        let rate = gamma / (1.0 + float (t - 1) * eta)
        for i in 0 .. theta.Length - 1 do
            let g = if lambda <> 0.0 then decayed grad[i] lambda theta[i] else grad[i]
            stateSum[p][i] <- stateSum[p][i] + g * g
            theta[i] <- theta[i] - rate * g / (sqrt (stateSum[p][i]) + eps))

/// torch.optim.RMSprop:
///   g ← g + λθ;  v ← αv + (1 − α)g²;  ṽ ← v;  if centered: gᵃᵛᵉ ← αgᵃᵛᵉ + (1 − α)g; ṽ ← ṽ − (gᵃᵛᵉ)²
///   if μ > 0: b ← μb + g/(√ṽ + ε); θ ← θ − γb   else θ ← θ − γg/(√ṽ + ε)
let rmsprop (s: Setup) : Step =
    let alpha, eps, mu, centered = number s "alpha", number s "eps", number s "momentum", flag s "centered"
    let v, b, average = zeros s, zeros s, zeros s
    perParameter s (fun p _ gamma theta grad ->
        let lambda = decay s p
        for i in 0 .. theta.Length - 1 do
            let g = if lambda <> 0.0 then decayed grad[i] lambda theta[i] else grad[i]
            v[p][i] <- alpha * v[p][i] + (1.0 - alpha) * g * g
            let mutable tilde = v[p][i]
            if centered then
                average[p][i] <- alpha * average[p][i] + (1.0 - alpha) * g
                // A variance estimate, ≥ 0 in exact arithmetic: rounding below 0 is taken as 0 (as the engine documents).
                tilde <- max 0.0 (tilde - average[p][i] * average[p][i])
            if mu > 0.0 then
                b[p][i] <- mu * b[p][i] + g / (sqrt tilde + eps)
                theta[i] <- theta[i] - gamma * b[p][i]
            else theta[i] <- theta[i] - gamma * g / (sqrt tilde + eps))

/// torch.optim.Adam (decoupled = false) and torch.optim.AdamW (decoupled = true):
///   AdamW: θ ← θ − γλθ.   Adam: g ← g + λθ.
///   m ← β₁m + (1 − β₁)g;  v ← β₂v + (1 − β₂)g²;  m̂ ← m/(1 − β₁ᵗ)
///   amsgrad: vᵐᵃˣ ← max(vᵐᵃˣ, v); v̂ ← vᵐᵃˣ/(1 − β₂ᵗ)   else v̂ ← v/(1 − β₂ᵗ)
///   θ ← θ − γ·m̂/(√v̂ + ε)
let private adamFamily (decoupled: bool) (s: Setup) : Step =
    let beta1, beta2, eps, amsgrad = number s "beta1", number s "beta2", number s "eps", flag s "amsgrad"
    let m, v, vmax = zeros s, zeros s, zeros s
    perParameter s (fun p t gamma theta grad ->
        let lambda = decay s p
        for i in 0 .. theta.Length - 1 do
            let mutable g = grad[i]
            if lambda <> 0.0 then
                if decoupled then theta[i] <- theta[i] - gamma * lambda * theta[i]
                else g <- decayed g lambda theta[i]
            m[p][i] <- beta1 * m[p][i] + (1.0 - beta1) * g
            v[p][i] <- beta2 * v[p][i] + (1.0 - beta2) * g * g
            let mHat = m[p][i] / (1.0 - beta1 ** float t)
            let vHat =
                if amsgrad then
                    vmax[p][i] <- max (vmax[p][i]) (v[p][i])
                    vmax[p][i] / (1.0 - beta2 ** float t)
                else v[p][i] / (1.0 - beta2 ** float t)
            theta[i] <- theta[i] - gamma * mHat / (sqrt vHat + eps))

let adam = adamFamily false
let adamw = adamFamily true

/// The reference of each optimizer, by registry name. An optimizer without a row is still run through every other property.
let table : Map<string, Setup -> Step> = Map [ "sgd", sgd; "adagrad", adagrad; "rmsprop", rmsprop; "adam", adam; "adamw", adamw ]
