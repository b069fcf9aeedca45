/// <summary>
/// The kit's F# entry points: each verifies one thing and returns its report, or raises a VerificationException holding the
/// smallest failing case and the seed that replays it. (C# calls ActivationCheck.Verify, LossCheck.Verify, LayerCheck.Verify and
/// NetworkCheck.Verify, which these call.)
/// </summary>
module Engine.Verification.Verify

open System
open Engine
open Engine.Activations
open Engine.Losses
open Engine.Networks

/// Verifies an activation's backward pass against the 5-point stencil.
let activation (activation: Activation) = ActivationCheck.Verify(activation)

/// Verifies an elementwise activation against the 5-point stencil and against `reference` over dual numbers.
let activationWith (reference: Dual -> Dual) (activation: Activation) = ActivationCheck.Verify(activation, Func<Dual, Dual> reference)

/// Verifies a loss's gradient (and its fused paths after the built-in activations) against the 5-point stencil.
let loss (loss: Loss) = LossCheck.Verify(loss)

/// Verifies a loss against the 5-point stencil and against `reference` L(a, y) over dual numbers.
let lossWith (reference: Dual[] -> float[] -> Dual) (loss: Loss) = LossCheck.Verify(loss, Func<Dual[], float[], Dual> reference)

/// Verifies the parameter and input gradients of the layers `create` builds (one per case) against the 5-point stencil.
let layer (create: unit -> Layer) = LayerCheck.Verify(Func<Layer> create)

/// Verifies random dense networks of the registries' activations and losses against the 5-point stencil.
let networks (activations: Registry<Activation>) (losses: Registry<Loss>) = NetworkCheck.Verify(activations, losses)
