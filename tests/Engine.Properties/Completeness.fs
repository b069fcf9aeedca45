/// Property 8: every activation and loss type in the engine assembly is in the registry, so properties 1–3 run on it with
/// no test edit; every row of the reference table names a registered entry; every public constructor parameter of every
/// registered activation, loss and layer is varied by the generators, not only its default. Also: the suite can fail — a wrong
/// derivative defined here is caught.
module Completeness

open System
open Xunit
open Xunit.Abstractions
open Engine
open Engine.Activations
open Engine.Losses
open Engine.Networks
open Engine.Serialization
open Engine.Verification
open FsCheck
open FsCheck.FSharp

let private concreteSubtypes<'T> () =
    typeof<'T>.Assembly.GetTypes() |> Array.filter (fun t -> typeof<'T>.IsAssignableFrom t && not t.IsAbstract) |> Array.map _.FullName

let private registeredTypes (all: seq<'T>) = all |> Seq.map (fun x -> x.GetType().FullName) |> Set.ofSeq

let private activations, losses = Suite.activations, Suite.losses

/// The public constructor parameters of a type, every constructor's, by name.
let private constructorParameters (t: Type) =
    t.GetConstructors() |> Seq.collect _.GetParameters() |> Seq.map (fun p -> nonNull p.Name, p.ParameterType) |> Seq.distinctBy fst |> List.ofSeq

/// Every registered type whose settings users choose: activations, losses, the layers the codecs write, optimizers and
/// learning-rate schedules.
let private settableTypes () =
    [ for a in activations.All -> a.GetType()
      for l in losses.All -> l.GetType()
      for codec in Registry<LayerCodec>.Builtin.All -> codec.LayerType
      for o in OptimizerProperties.optimizers.All -> o.GetType()
      for s in ScheduleProperties.schedules.All -> s.GetType() ]

/// Draws from every generator of the suite as a run of its properties does, building each case: `n` cases at each size
/// 0, 10, …, 100, from the run's seed.
let private drawAsARun (n: int) =
    let sample (arbitrary: Arbitrary<'T>) (consume: 'T -> unit) =
        for size in 0 .. 10 .. 100 do
            Gen.sampleWithSeed (Rnd(Seeds.forCheck Seeds.run (sprintf "completeness %d" size))) size n arbitrary.Generator |> Array.iter consume
    sample GradientProperties.topologies (GradientProperties.build >> ignore)
    sample ConvolutionProperties.topologies (ConvolutionProperties.build >> ignore)
    sample ActivationProperties.samples (fun (c, _) -> Draw.create activations c |> ignore)
    sample LossProperties.samples (fun (c, _) -> Draw.create losses c |> ignore)
    // Each optimizer on its own, as the trajectory property draws it: SGD's nesterov = true is valid only with a momentum
    // > 0 and a dampening of exactly 0 (drawn a tenth of the time), so 8.3 % of SGD's valid draws have it (0.5·0.9·0.1 of
    // 0.5 + 0.045), and mixed among the other optimizers it went undrawn for about one seed in 24. Here SGD gets 11·n
    // draws: with n = 40, all 440 miss it with probability 0.917^440 ≈ 3e-17.
    for name in OptimizerProperties.optimizers.Names do
        sample (Arb.fromGen (OptimizerProperties.optimizerOf [ name ])) ignore
    sample OptimizerProperties.trajectories ignore
    sample (Arb.fromGen ScheduleProperties.cases) ignore

/// Why a parameter's drawn values do not count as varied, or None: an enum needs every value, a bool both, anything else two.
let private unvaried (t: Type) (name: string, parameterType: Type) =
    let drawn = Coverage.values t.Name name
    let needed =
        if parameterType.IsEnum then Enum.GetNames parameterType |> Set.ofArray
        elif parameterType = typeof<bool> then set [ "true"; "false" ]
        else Set.empty
    if not needed.IsEmpty && not (Set.isSubset needed drawn) then Some(sprintf "%s.%s drew %A of %A" t.Name name drawn needed)
    elif drawn.Count < 2 then Some(sprintf "%s.%s drew %d distinct value(s): %A" t.Name name drawn.Count drawn)
    else None

type Tests(output: ITestOutputHelper) =
    [<Fact>]
    member _.``every public constructor parameter of every registered activation, loss, layer, optimizer and schedule is varied by the generators`` () =
        drawAsARun 40
        let problems =
            [ for t in settableTypes () do
                for parameter in constructorParameters t do
                    match unvaried t parameter with
                    | Some problem -> yield problem
                    | None -> output.WriteLine(sprintf "%-12s %-14s %4d distinct values" t.Name (fst parameter) (Coverage.values t.Name (fst parameter)).Count) ]
        // The settings whose variety matters beyond two values: every padding mode, 'same' padding that is asymmetric on a
        // non-square image, pooling strides other than the window, non-square images.
        let padding = Coverage.values "Conv2D" "padding"
        let settings =
            [ "Conv2D padding 'valid', 'same' and an integer", padding.Contains "valid" && padding.Contains "same" && padding |> Set.exists (fun p -> fst (Int32.TryParse p))
              "Conv2D 'same' padding asymmetric on a non-square image", (Coverage.values "Conv2D" "same padding, asymmetric, on a non-square image").Contains "True"
              "Conv2D inputs of height ≠ width", Coverage.values "Conv2D" "input" |> Set.exists (fun s -> let d = s.Trim('[', ']').Split(", ") in d[1] <> d[2])
              "MaxPool2D and AvgPool2D strides 0 (the window) and others",
              [ "MaxPool2D"; "AvgPool2D" ] |> List.forall (fun t -> let s = Coverage.values t "stride" in s.Contains "0" && s.Count >= 3) ]
        let missing = [ for what, seen in settings do if not seen then yield what ]
        Assert.True(problems.IsEmpty && missing.IsEmpty, sprintf "not varied by the generators: %A %A" problems missing)

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
    let gaussian () = Numerics.StandardNormal random
    let first, second = Dense(3, 4, hidden), Dense(4, 2, Identity())
    for layer in [ first; second ] do
        for i in 0 .. layer.Weights.Length - 1 do layer.Weights[i] <- gaussian ()
    { Description = "widths [3; 4; 2], batch 2"; Network = Network([ first :> Layer; second ]); Loss = loss; Batch = 2
      Inputs = Array.init 6 (fun _ -> gaussian ()); Targets = Array.init 4 (fun _ -> gaussian ()) }

[<Fact>]
let ``a derivative 0.1% wrong in an activation is caught by both oracles`` () =
    let failures = GradientProperties.check (Accuracy "meta") (Accuracy "meta") (caseWith (SlightlyWrongSigmoid()) (MeanSquaredError()))
    Assert.Contains(failures, fun f -> f.Contains "5-point stencil")
    Assert.Contains(failures, fun f -> f.Contains "dual numbers")

[<Fact>]
let ``a loss gradient 0.01% wrong is caught by both oracles`` () =
    let failures = GradientProperties.check (Accuracy "meta") (Accuracy "meta") (caseWith (Sigmoid()) (SlightlyWrongSquaredError()))
    Assert.Contains(failures, fun f -> f.Contains "5-point stencil")
    Assert.Contains(failures, fun f -> f.Contains "dual numbers")

[<Fact>]
let ``the correct activation and loss pass the same check`` () =
    Assert.Empty(GradientProperties.check (Accuracy "meta") (Accuracy "meta") (caseWith (Sigmoid()) (MeanSquaredError())))
