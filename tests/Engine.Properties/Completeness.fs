/// Property 8: every activation and loss type in the engine assembly is in the registry, so properties 1–3 run on it with
/// no test edit; every row of the reference table names a registered entry. Also: the suite can fail — a wrong
/// derivative defined here is caught.
module Completeness

open System
open Xunit
open Xunit.Abstractions
open Engine
open Engine.Activations
open Engine.Losses
open Engine.Networks
open Generators

let private concreteSubtypes<'T> () =
    typeof<'T>.Assembly.GetTypes() |> Array.filter (fun t -> typeof<'T>.IsAssignableFrom t && not t.IsAbstract) |> Array.map _.FullName

let private registeredTypes (all: seq<'T>) = all |> Seq.map (fun x -> x.GetType().FullName) |> Set.ofSeq

type Tests(output: ITestOutputHelper) =
    [<Fact>]
    member _.``every activation and loss type in the engine is registered, so the property suite verifies it`` () =
        let missing =
            [ for name in concreteSubtypes<Activation> () do if not ((registeredTypes activations.All).Contains name) then yield name
              for name in concreteSubtypes<Loss> () do if not ((registeredTypes losses.All).Contains name) then yield name ]
        Assert.True(missing.IsEmpty, sprintf "not in the registry (public, sealed, parameterless constructor?): %A" missing)
        for name in activations.Names do
            let exact = if ReferenceTable.activations.ContainsKey name then "numerical and dual numbers" else "numerical only (no reference row)"
            output.WriteLine(sprintf "activation %-12s verified by %s" name exact)
        for name in losses.Names do
            let exact = if ReferenceTable.losses.ContainsKey name then "numerical and dual numbers" else "numerical only (no reference row)"
            output.WriteLine(sprintf "loss       %-12s verified by %s" name exact)

    [<Fact>]
    member _.``every reference row names a registered activation or loss`` () =
        let stale =
            [ for name in ReferenceTable.activations.Keys do if not (Seq.contains name activations.Names) then yield name
              for name in ReferenceTable.losses.Keys do if not (Seq.contains name losses.Names) then yield name ]
        Assert.True(stale.IsEmpty, sprintf "rows for nothing registered: %A" stale)

    [<Fact>]
    member _.``the built-in activations and losses of the notes and the issue all have exact references`` () =
        for name in [ "identity"; "step"; "sigmoid"; "tanh"; "relu"; "softmax"; "leaky-relu"; "elu"; "softplus"; "silu"; "gelu"; "softsign" ] do
            Assert.True(ReferenceTable.activations.ContainsKey name && Seq.contains name activations.Names, name)
        for name in [ "mse"; "mae"; "huber"; "bce"; "cce"; "sparse-cce"; "hinge"; "perceptron" ] do
            Assert.True(ReferenceTable.losses.ContainsKey name && Seq.contains name losses.Names, name)

/// Sigmoid with a derivative 0.1% too large: the suite must reject it.
[<Struct>]
type SlightlyWrongSigmoidFunction =
    interface IScalarFunction with
        member _.Value(z: float) = 1.0 / (1.0 + exp -z)
        member _.Derivative(_: float, a: float) = 1.001 * a * (1.0 - a)

type SlightlyWrongSigmoid() =
    inherit ElementwiseActivation<SlightlyWrongSigmoidFunction>(SlightlyWrongSigmoidFunction())
    override _.Name = "sigmoid"

/// Squared error whose gradient is 0.01% too large.
type SlightlyWrongSquaredError() =
    inherit Loss()
    let inner = MeanSquaredError()
    override _.Name = "mse"
    override _.Value(a, y) = inner.Value(a, y)
    override _.Gradient(a, y, g) = inner.Gradient(a, y, g); for j in 0 .. g.Length - 1 do g[j] <- 1.0001 * g[j]

let private caseWith (hidden: Activation) (loss: Loss) =
    let random = Random 8
    let first, second = Dense(3, 4, hidden), Dense(4, 2, Identity())
    for layer in [ first; second ] do
        for i in 0 .. layer.Weights.Length - 1 do layer.Weights[i] <- gaussian random
    let topology = { Widths = [ 3; 4; 2 ]; Activations = [ "sigmoid"; "identity" ]; Loss = "mse"; Batch = 2; Seed = 8 }
    { Topology = topology; Network = Network([ first :> Layer; second ]); Loss = loss
      Inputs = Array.init 6 (fun _ -> gaussian random); Targets = Array.init 4 (fun _ -> gaussian random) }

[<Fact>]
let ``a derivative 0.1% wrong in an activation is caught by both oracles`` () =
    let failures = GradientProperties.checkInto (Settings.ErrorLog "meta") (Settings.ErrorLog "meta") (caseWith (SlightlyWrongSigmoid()) (MeanSquaredError()))
    Assert.Contains(failures, fun f -> f.Contains "5-point stencil")
    Assert.Contains(failures, fun f -> f.Contains "dual numbers")

[<Fact>]
let ``a loss gradient 0.01% wrong is caught by both oracles`` () =
    let failures = GradientProperties.checkInto (Settings.ErrorLog "meta") (Settings.ErrorLog "meta") (caseWith (Sigmoid()) (SlightlyWrongSquaredError()))
    Assert.Contains(failures, fun f -> f.Contains "5-point stencil")
    Assert.Contains(failures, fun f -> f.Contains "dual numbers")

[<Fact>]
let ``the correct activation and loss pass the same check`` () =
    Assert.Empty(GradientProperties.checkInto (Settings.ErrorLog "meta") (Settings.ErrorLog "meta") (caseWith (Sigmoid()) (MeanSquaredError())))
