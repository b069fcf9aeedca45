/// GradientDiagnostics as a property: every statistic of a step of a random network against the quantities the network already
/// exposes, computed again here with plain loops. (The saturation rules at their thresholds are facts, in Engine.Facts.)
module Diagnostics

open System
open Xunit
open Xunit.Abstractions
open FsCheck
open FsCheck.FSharp
open Engine.Activations
open Engine.Diagnostics
open Engine.Losses
open Engine.Networks
open Engine.Optimizers
open Engine.Training
open Engine.Verification

let private norm (values: float seq) = sqrt (Seq.sumBy (fun v -> v * v) values)

/// Both sides sum the same n ≤ 400 non-negative squares (weights of a 20 × 20 layer) in another order, the engine in vector
/// lanes with fused multiply-adds: they differ by at most (n − 1)·2⁻⁵³ ≈ 4.4e-14 relatively, and the square root halves that.
/// Sums of squares cannot cancel, so no floor is needed: Tolerances.exact, purely relative.
let private agree (what: string) (expected: float) (actual: float) =
    let error = Numerical.relativeError 0.0 expected actual
    if error <= Tolerances.exact || (Double.IsNaN expected && Double.IsNaN actual) then None
    else Some(sprintf "%s: expected %.17g, diagnostics %.17g (relative error %.2e)" what expected actual error)

/// σ'(z) of an elementwise activation by dual numbers (the reference table), independent of the engine's backward pass.
let private slope (activation: Activation) (z: float) =
    match ReferenceTable.activation activation with
    | Some(Elementwise f) -> Some (f (Dual.variable z)).D
    | _ -> None

/// The statistics of one step of a random network, recomputed from Deltas, PreActivations, Gradient and the weights.
let private checkStep (case: Case) =
    let network = case.Network
    let diagnostics = GradientDiagnostics(network)
    let before = network.Parameters |> Seq.map (fun p -> Array.copy p.Values) |> Array.ofSeq
    network.ComputeGradients(ReadOnlySpan case.Inputs, ReadOnlySpan case.Targets, case.Batch, case.Loss) |> ignore
    Sgd().Bind(network).Step(0.1)
    diagnostics.Observe()
    let failures = ResizeArray<string>()
    let check what expected actual = agree what expected actual |> Option.iter failures.Add
    Assert.Equal(network.Layers.Count, diagnostics.Latest.Count)
    for l in 0 .. network.Layers.Count - 1 do
        let layer = network.Layers[l] :?> Dense
        let s = diagnostics.Latest[l]
        Assert.Equal(l, s.Layer)
        let width, batch = layer.OutputSize, case.Batch
        let deltas = layer.Deltas.ToArray()
        check $"layer {l} ‖δ‖" (Seq.averageBy (fun i -> norm deltas[i * width .. (i + 1) * width - 1]) (seq { 0 .. batch - 1 })) s.DeltaNorm
        check $"layer {l} ‖∂C/∂W‖" (norm layer.WeightGradient) s.WeightGradientNorm
        check $"layer {l} ‖∂C/∂b‖" (norm layer.BiasGradient) s.BiasGradientNorm
        let wBefore = before[2 * l]
        check $"layer {l} ‖Δw‖/‖w‖" (norm (Array.map2 (-) layer.Weights wBefore) / norm wBefore) s.UpdateRatio
        let z = layer.PreActivations.ToArray()
        match layer.Activation.Saturation, slope layer.Activation z[0] with
        | null, _ -> Assert.True(Double.IsNaN s.SaturatedFraction, $"layer {l}: {layer.Activation.Name} declares no saturation")
        | rule, Some _ -> check $"layer {l} saturated fraction" (rule.Fraction(ReadOnlySpan(Array.map (fun v -> (slope layer.Activation v).Value) z), width)) s.SaturatedFraction
        | _, None -> failures.Add $"layer {l}: {layer.Activation.Name} declares saturation but has no elementwise reference"
    failures

type Properties(output: ITestOutputHelper) =
    [<Fact>]
    member _.``every statistic of a step of a random network equals the one computed from its deltas, gradients and weights`` () =
        Suite.check output "diagnostics of a training step" 100 [] (fun () -> []) GradientProperties.topologies (fun topology ->
                match GradientProperties.build topology with
                | Error reason -> NotBuilt reason
                | Ok case -> Outcome.OfFailures(checkStep case))
