/// Property 1: every ∂C/∂W, ∂C/∂b and ∂C/∂x of random networks against the 5-point stencil and against dual numbers.
module GradientProperties

open System
open Xunit
open Xunit.Abstractions
open FsCheck
open FsCheck.FSharp
open Engine.Networks
open Generators

let numericalLog = Settings.ErrorLog "1. dC/dW, dC/db, dC/dx vs 5-point stencil"
let exactLog = Settings.ErrorLog "1. dC/dW, dC/db, dC/dx vs dual numbers"

/// Every differentiable value of a case: where it lives, how to read and set it, and the engine's derivative of C.
type private Entry = { Name: string; Seed: ReferenceNetwork.Seed; Get: unit -> float; Set: float -> unit; Analytic: float }

let private entries (case: Case) =
    let batch = case.Topology.Batch
    [ for l, layer in Seq.indexed case.Network.Layers do
        let dense = layer :?> Dense
        for index in 0 .. dense.Weights.Length - 1 do
            { Name = sprintf "layer %d weight[%d, %d]" l (index / dense.InputSize) (index % dense.InputSize)
              Seed = ReferenceNetwork.Weight(l, index)
              Get = (fun () -> dense.Weights[index]); Set = (fun v -> dense.Weights[index] <- v)
              Analytic = dense.WeightGradient[index] }
        for index in 0 .. dense.Biases.Length - 1 do
            { Name = sprintf "layer %d bias[%d]" l index
              Seed = ReferenceNetwork.Bias(l, index)
              Get = (fun () -> dense.Biases[index]); Set = (fun v -> dense.Biases[index] <- v)
              Analytic = dense.BiasGradient[index] }
      let inputGradient = case.Network.InputGradient.ToArray()
      for index in 0 .. case.Inputs.Length - 1 do
        // InputGradient holds ∂Lᵢ/∂xᵢ per sample; C is the batch mean, so ∂C/∂xᵢ = ∂Lᵢ/∂xᵢ / batch.
        { Name = sprintf "input[%d, %d]" (index / case.Network.InputSize) (index % case.Network.InputSize)
          Seed = ReferenceNetwork.Input index
          Get = (fun () -> case.Inputs[index]); Set = (fun v -> case.Inputs[index] <- v)
          Analytic = inputGradient[index] / float batch } ]

/// The smallest distance of any pre-activation or loss argument from a declared kink, at the current values.
let kinkDistance (case: Case) =
    let network = case.Network
    let mutable distance = Double.PositiveInfinity
    for layer in network.Layers do
        for z in layer.PreActivations do distance <- min distance (layer.Activation.DistanceToKink z)
    let outputs = network.Layers[network.Layers.Count - 1].Outputs
    let targetWidth = case.Loss.TargetWidth network.OutputSize
    if targetWidth = network.OutputSize then
        for i in 0 .. outputs.Length - 1 do distance <- min distance (case.Loss.DistanceToKink(outputs[i], case.Targets[i]))
    distance

/// The failures of one case, its errors recorded in the two logs.
let checkInto (numericalLog: Settings.ErrorLog) (exactLog: Settings.ErrorLog) (case: Case) =
    let t = case.Topology
    let network = case.Network
    let cost = network.ComputeGradients(case.Inputs, case.Targets, t.Batch, case.Loss, true)
    let all = entries case
    let reference = ReferenceNetwork.ofCase case
    let largestGradient = all |> List.fold (fun m e -> max m (abs e.Analytic)) 0.0
    numericalLog.Configuration()
    if reference.IsSome then exactLog.Configuration()
    let failures = ResizeArray<string>()
    for entry in all do
        let theta = entry.Get()
        let mutable closest = Double.PositiveInfinity
        let numerical =
            Numerical.derivative theta entry.Set (fun () ->
                let c = network.Cost(case.Inputs, case.Targets, t.Batch, case.Loss)
                closest <- min closest (kinkDistance case)
                c)
        if closest < margin / 2.0 then
            failures.Add(sprintf "%s: the stencil came within %.2g of a kink (generator margin %.2g)" entry.Name closest margin)
        let error = Numerical.relativeError (Tolerances.numericalFloor cost) entry.Analytic numerical
        numericalLog.Add error
        if not (error <= Tolerances.numerical) then
            failures.Add(sprintf "%s: analytic %.17g, 5-point stencil %.17g, error %.2e" entry.Name entry.Analytic numerical error)
        match reference with
        | Some r ->
            let exact = (ReferenceNetwork.cost r entry.Seed case.Inputs case.Targets t.Batch).D
            let error = Numerical.relativeError (Tolerances.exactFloor cost largestGradient) entry.Analytic exact
            exactLog.Add error
            if not (error <= Tolerances.exact) then
                failures.Add(sprintf "%s: analytic %.17g, dual numbers %.17g, error %.2e" entry.Name entry.Analytic exact error)
        | None -> ()
    failures

/// The failures of one case, recorded in the property's accuracy report.
let check = checkInto numericalLog exactLog

type Tests(output: ITestOutputHelper) =
    [<Fact>]
    member _.``every gradient of random networks matches the 5-point stencil and dual numbers`` () =
        let skipped = ref 0
        let property =
            Prop.forAll topologies (fun topology ->
                match build topology with
                | None -> Threading.Interlocked.Increment skipped |> ignore; true |> Prop.ofTestable
                | Some case ->
                    let failures = check case
                    failures.Count = 0 |> Prop.label (sprintf "%O\n%s" topology (String.Join("\n", Seq.truncate 5 failures))))
        try Check.One(Settings.config 100, property)
        finally
            output.WriteLine(numericalLog.Summary())
            output.WriteLine(exactLog.Summary())
            output.WriteLine(sprintf "cases without a kink-free placement (passed over): %d" skipped.Value)
