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
    let width = case.Network.InputSize
    [ for l, layer in Seq.indexed case.Network.Layers do
        for p, parameter in Seq.indexed layer.Parameters do
          let shape = parameter.Shape
          for index in 0 .. parameter.Values.Length - 1 do
            let position = if shape.Count = 2 then sprintf "[%d, %d]" (index / shape[1]) (index % shape[1]) else sprintf "[%d]" index
            { Name = sprintf "layer %d %s%s" l parameter.Name position
              Seed = ReferenceNetwork.Parameter(l, p, index)
              Get = (fun () -> parameter.Values[index]); Set = (fun v -> parameter.Values[index] <- v)
              Analytic = parameter.Gradient[index] }
      let inputGradient = case.Network.InputGradient.ToArray()
      for index in 0 .. case.Inputs.Length - 1 do
        { Name = sprintf "input[%d, %d]" (index / width) (index % width)
          Seed = ReferenceNetwork.Input index
          Get = (fun () -> case.Inputs[index]); Set = (fun v -> case.Inputs[index] <- v)
          Analytic = inputGradient[index] } ]

/// The smallest distance of any pre-activation or loss argument from a declared kink, at the current values.
let kinkDistance (case: Case) =
    let network = case.Network
    let mutable distance = Double.PositiveInfinity
    for layer in Seq.choose (function (l: Layer) -> match l with :? ActivatedLayer as a -> Some a | _ -> None) network.Layers do
        for z in layer.PreActivations do distance <- min distance (layer.Activation.DistanceToKink z)
    let outputs = network.Outputs
    let targetWidth = case.Loss.TargetWidth network.OutputSize
    if targetWidth = network.OutputSize then
        for i in 0 .. outputs.Length - 1 do distance <- min distance (case.Loss.DistanceToKink(outputs[i], case.Targets[i]))
    distance

/// Which side of each declared kink every pre-activation and loss argument lies on, and each max-pooling window's choice.
let kinkSides (case: Case) =
    let network = case.Network
    [| for layer in network.Layers do
         match layer with
         | :? ActivatedLayer as layer ->
             for z in layer.PreActivations.ToArray() do
               for kink in layer.Activation.Kinks do yield (if z > kink then 1 else 0)
         | :? MaxPool2D as pool -> yield! pool.Chosen.ToArray()
         | _ -> ()
       if case.Loss.TargetWidth network.OutputSize = network.OutputSize then
         let outputs = network.Outputs.ToArray()
         for i in 0 .. outputs.Length - 1 do yield (if case.Loss.KinkOffset(outputs[i], case.Targets[i]) > 0.0 then 1 else 0) |]

/// How the numerical oracle treats a stencil near a kink.
type KinkPolicy =
    /// Dense cases are placed with a margin: a stencil coming within half of it is a failure of the generator.
    | RequireMargin
    /// A convolution's bias is shared by every position, so no margin can be guaranteed: a stencil that moves any pre-activation,
    /// max-pooling choice or loss argument across a kink is left to the exact oracle, and counted here.
    | SkipStraddles of skipped: int ref

/// The failures of one case, its errors recorded in the two logs.
let checkWith (policy: KinkPolicy) (numericalLog: Settings.ErrorLog) (exactLog: Settings.ErrorLog) (case: Case) =
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
        let sides = match policy with RequireMargin -> [||] | SkipStraddles _ -> (network.Cost(case.Inputs, case.Targets, t.Batch, case.Loss) |> ignore; kinkSides case)
        let mutable straddles = false
        let numerical =
            Numerical.derivative theta entry.Set (fun () ->
                let c = network.Cost(case.Inputs, case.Targets, t.Batch, case.Loss)
                match policy with
                | RequireMargin -> closest <- min closest (kinkDistance case)
                | SkipStraddles _ -> straddles <- straddles || kinkSides case <> sides
                c)
        match policy with
        | RequireMargin when closest < margin / 2.0 ->
            failures.Add(sprintf "%s: the stencil came within %.2g of a kink (generator margin %.2g)" entry.Name closest margin)
        | SkipStraddles skipped when straddles -> skipped.Value <- skipped.Value + 1
        | _ ->
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

/// The failures of one dense case, recorded in the property's accuracy report.
let check = checkWith RequireMargin numericalLog exactLog

/// Dense cases with their errors in other logs (for tests that check the suite itself).
let checkInto numerical exact case = checkWith RequireMargin numerical exact case

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
