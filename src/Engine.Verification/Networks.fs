namespace Engine.Verification

open System
open System.Runtime.InteropServices
open FsCheck
open FsCheck.FSharp
open Engine
open Engine.Activations
open Engine.Losses
open Engine.Networks

/// <summary>A network with its data, ready for the oracles: what it is (for messages), the network, loss, inputs, targets and batch.</summary>
type Case =
    { Description: string
      Network: Network
      Loss: Loss
      Inputs: float[]
      Targets: float[]
      Batch: int }

/// <summary>
/// A dense network to test as a symbolic model: widths [input; hidden…; output], one activation per layer and a loss, each a
/// registered component with drawn hyperparameters, a batch size and the seed its weights, inputs and targets are derived from.
/// </summary>
type DenseTopology =
    { Widths: int list
      Activations: Component list
      Loss: Component
      Batch: int
      Seed: int }
    override this.ToString() =
        sprintf "widths %A, activations [%s], loss %O, batch %d, seed %d" this.Widths (String.Join("; ", this.Activations)) this.Loss this.Batch this.Seed

/// <summary>
/// Random dense networks (FsCheck generates and shrinks the model; the data follows from its seed), each bias placed so that no
/// sample's pre-activation lies within Tolerances.margin of a kink its activation declares, nor an output of a kink of the loss.
/// </summary>
module DenseNetworks =
    /// Whether `loss` can follow `activation`, as the engine declares it (e.g. cce needs softmax, bce independent outputs in (0, 1)).
    let compatible (loss: Loss) (activation: Activation) = isNull (loss.Incompatibility activation)

    /// Topologies over the activations and losses of the registries, bounded by FsCheck's size: depth 1–6, widths 1–20, batches
    /// 1–9; every hyperparameter drawn. Shrinking drops hidden layers, narrows layers, shrinks the batch and resets hyperparameters.
    let topologies (activations: Registry<Activation>) (losses: Registry<Loss>) =
        let generate (size: int) =
            gen {
                let maxDepth = 1 + min 5 (size / 15)
                let maxWidth = 1 + min 19 (size / 4)
                let! depth = Gen.choose (1, maxDepth)
                let! widths = Gen.listOfLength (depth + 1) (Gen.choose (1, maxWidth))
                let! hidden = Gen.listOfLength (depth - 1) (Draw.componentOf activations activations.Names)
                let! output = Draw.componentOf activations activations.Names
                let outputActivation = activations.Get output.Name
                let! loss = Draw.componentOf losses (losses.All |> Seq.filter (fun l -> compatible l outputActivation) |> Seq.map _.Name)
                let! batch = Gen.choose (1, 1 + min 8 (size / 10))
                let! seed = Gen.choose (0, Int32.MaxValue)
                return { Widths = widths; Activations = hidden @ [ output ]; Loss = loss; Batch = batch; Seed = seed }
            }
        let shrink (t: DenseTopology) =
            seq {
                for l in 1 .. t.Activations.Length - 1 do
                    yield { t with Widths = List.removeAt l t.Widths; Activations = List.removeAt (l - 1) t.Activations }
                for i in 0 .. t.Widths.Length - 1 do
                    if t.Widths[i] > 1 then
                        yield { t with Widths = List.updateAt i (t.Widths[i] / 2) t.Widths }
                        yield { t with Widths = List.updateAt i (t.Widths[i] - 1) t.Widths }
                if t.Batch > 1 then yield { t with Batch = 1 }; yield { t with Batch = t.Batch - 1 }
                for l, c in List.indexed t.Activations do
                    for d in Draw.shrink c -> { t with Activations = List.updateAt l d t.Activations }
                for d in Draw.shrink t.Loss -> { t with Loss = d }
            }
            |> Seq.filter (fun s -> compatible (losses.Get s.Loss.Name) (activations.Get (List.last s.Activations).Name))
        Arb.fromGenShrink (Gen.sized generate, shrink)

    let private scalar (activation: Activation) (z: float) =
        let output = [| 0.0 |]
        activation.Forward(ReadOnlySpan [| z |], Span output, 1)
        output[0]

    /// Draws weights from U(±√(3/fan_in)) and inputs from N(0, 1), then chooses each bias so that every sample's pre-activation
    /// keeps the margin from the activation's kinks (and, at the output, the loss's); Error with the reason when no placement was found.
    let build (activations: Registry<Activation>) (losses: Registry<Loss>) (t: DenseTopology) : Result<Case, string> =
        let random = Random t.Seed
        let loss = Draw.create losses t.Loss
        let layers =
            List.pairwise t.Widths |> List.mapi (fun l (i, o) ->
                Coverage.construct<Dense> [ "inputSize", box i; "outputSize", box o; "activation", box (Draw.create activations t.Activations[l]) ])
        let network = Network(layers |> List.map (fun l -> l :> Layer))
        let batch = t.Batch
        let inputs = Array.init (batch * t.Widths.Head) (fun _ -> Numerics.StandardNormal random)
        match Engine.Verification.RandomTargets.Family(loss, network.OutputSize, random) with
        | null -> Error(sprintf "no family of random targets satisfies the %s loss" loss.Name)
        | family ->
        let mutable targets = Array.concat (Array.init batch (fun _ -> family.Invoke()))
        let targetWidth = loss.TargetWidth network.OutputSize
        let lossClear (outputs: float[]) (i: int) (j: int) =
            targetWidth <> network.OutputSize || loss.DistanceToKink(outputs[i * network.OutputSize + j], targets[i * targetWidth + j]) >= Tolerances.margin
        let mutable placed = true
        let mutable previous = inputs
        for l, layer in List.indexed layers do
            if placed then
                let bound = Math.Sqrt(3.0 / float layer.InputSize)
                for w in 0 .. layer.Weights.Length - 1 do layer.Weights[w] <- (2.0 * random.NextDouble() - 1.0) * bound
                Array.Clear layer.Biases
                layer.Forward(ReadOnlySpan previous, batch).Length |> ignore
                let u = layer.PreActivations.ToArray()
                let isOutput = l = layers.Length - 1
                let elementwise = not layer.Activation.OutputsSumToOne
                for j in 0 .. layer.OutputSize - 1 do
                    let fits b =
                        seq { 0 .. batch - 1 } |> Seq.forall (fun i ->
                            let z = u[i * layer.OutputSize + j] + b
                            layer.Activation.DistanceToKink z >= Tolerances.margin
                            && (not (isOutput && elementwise) || targetWidth <> layer.OutputSize
                                || loss.DistanceToKink(scalar layer.Activation z, targets[i * targetWidth + j]) >= Tolerances.margin))
                    match Seq.init 200 (fun k -> if k = 0 then 0.0 else 0.5 * Numerics.StandardNormal random) |> Seq.tryFind fits with
                    | Some b -> layer.Biases[j] <- b
                    | None -> placed <- false
                previous <- layer.Forward(ReadOnlySpan previous, batch).ToArray()
        if not placed then Error "no bias keeps every pre-activation of a unit clear of its activation's kinks"
        else
            // Row-wise outputs (softmax) cannot be placed one unit at a time: redraw the targets instead.
            let outputs = previous
            let clear () = Seq.forall (fun (i, j) -> lossClear outputs i j) (Seq.allPairs (seq { 0 .. batch - 1 }) (seq { 0 .. network.OutputSize - 1 }))
            let mutable tries = 0
            while not (clear ()) && tries < 50 do
                targets <- Array.concat (Array.init batch (fun _ -> family.Invoke()))
                tries <- tries + 1
            if not (clear ()) then Error "no targets keep every output clear of the loss's kinks"
            // The cross-entropies are defined on outputs in (0, 1); a softmax of width 1 is the constant 1.
            elif loss.RequiresProbabilities && not (Array.forall (fun a -> a > 0.0 && a < 1.0) outputs) then
                Error "an output the loss takes the logarithm of is 0 or 1"
            else Ok { Description = string t; Network = network; Loss = loss; Inputs = inputs; Targets = targets; Batch = batch }

/// <summary>
/// Property 1 of the suite for any network: every ∂C/∂W, ∂C/∂b of every layer and ∂C/∂x (the batch cost's, as
/// <see cref="Network.InputGradient"/>) against the 5-point stencil of the cost, and against an exact derivative when one is given.
/// </summary>
[<AbstractClass; Sealed>]
type NetworkCheck =
    /// <summary>Every differentiable value of a case, after <see cref="Network.ComputeGradients"/>: parameters, then inputs.</summary>
    static member Entries(case: Case) =
        let width = case.Network.InputSize
        [ for l, layer in Seq.indexed case.Network.Layers do
            for p, parameter in Seq.indexed layer.Parameters do
              let gradient = Array.copy parameter.Gradient
              let shape = List.ofSeq parameter.Shape
              for index in 0 .. parameter.Count - 1 ->
                { Name = sprintf "layer %d %s" l (LayerCheck.Label(parameter.Name, shape, index)); Target = Target.Parameter(l, p, index)
                  Get = (fun () -> parameter.Values[index]); Set = (fun v -> parameter.Values[index] <- v); Analytic = gradient[index] }
          let inputGradient = case.Network.InputGradient.ToArray()
          for index in 0 .. case.Inputs.Length - 1 ->
            { Name = sprintf "input[%d, %d]" (index / width) (index % width); Target = Input index
              Get = (fun () -> case.Inputs[index]); Set = (fun v -> case.Inputs[index] <- v); Analytic = inputGradient[index] } ]

    /// <summary>The smallest distance of any pre-activation or loss argument from a declared kink, at the current values.</summary>
    static member KinkDistance(case: Case) =
        let network = case.Network
        let mutable distance = Double.PositiveInfinity
        for layer in network.Layers do
            match layer with
            | :? ActivatedLayer as a -> for z in a.PreActivations do distance <- min distance (a.Activation.DistanceToKink z)
            | _ -> ()
        let outputs = network.Outputs
        if case.Loss.TargetWidth network.OutputSize = network.OutputSize then
            for i in 0 .. outputs.Length - 1 do distance <- min distance (case.Loss.DistanceToKink(outputs[i], case.Targets[i]))
        distance

    /// <summary>Which side of each declared kink every pre-activation and loss argument lies on, and each max-pooling window's choice.</summary>
    static member KinkSides(case: Case) =
        let network = case.Network
        [| for layer in network.Layers do yield! LayerCheck.KinkSides layer
           if case.Loss.TargetWidth network.OutputSize = network.OutputSize then
             let outputs = network.Outputs.ToArray()
             for i in 0 .. outputs.Length - 1 do yield (if case.Loss.KinkOffset(outputs[i], case.Targets[i]) > 0.0 then 1 else 0) |]

    /// <summary>
    /// The failures of one case. <paramref name="skipped"/>: None for a case placed with the margin (a stencil that comes within
    /// half of it fails), or a counter for stencils across a kink, left to the exact oracle. <paramref name="exact"/>: a log and the
    /// exact ∂C/∂(target), for cases it can describe.
    /// </summary>
    static member Check(skipped: int ref option, numericalLog: Accuracy, exact: (Accuracy * (Target -> float)) option, case: Case) =
        let network = case.Network
        let cost = network.ComputeGradients(case.Inputs, case.Targets, case.Batch, case.Loss, true)
        let entries = NetworkCheck.Entries case
        let objective () = network.Cost(case.Inputs, case.Targets, case.Batch, case.Loss)
        let policy =
            match skipped with
            | None -> RequireMargin(fun () -> NetworkCheck.KinkDistance case)
            | Some counter -> SkipStraddles((fun () -> NetworkCheck.KinkSides case), counter)
        numericalLog.Configuration()
        exact |> Option.iter (fun (log, _) -> log.Configuration())
        Compare.derivatives policy objective cost numericalLog exact entries

    /// <summary>
    /// Verifies random dense networks built from the activations and losses of the registries (e.g. the engine's and your own,
    /// <c>Registry&lt;Activation&gt;.FromAssemblies(typeof(Relu).Assembly, typeof(MyActivation).Assembly)</c>), every hyperparameter
    /// drawn, against the 5-point stencil.
    /// </summary>
    /// <param name="activations">Where hidden and output activations are drawn from.</param>
    /// <param name="losses">Where losses are drawn from (each compatible with the output activation).</param>
    /// <param name="options">Cases and seed (null: 100 cases, the seed from VERIFY_SEED, CI or a fresh one).</param>
    /// <exception cref="VerificationException">A derivative is wrong: the message gives the smallest failing network and the seed.</exception>
    static member Verify(activations: Registry<Activation>, losses: Registry<Loss>, [<Optional; DefaultParameterValue(null: CheckOptions)>] options: CheckOptions) =
        let options = if isNull options then CheckOptions() else options
        let numerical = Accuracy "dC/dW, dC/db, dC/dx vs 5-point stencil"
        Run.propertyWith "random dense networks" (options.CasesOr 100) [ numerical ] (fun () -> []) options.RunSeed
            (DenseNetworks.topologies activations losses)
            (fun t ->
                match DenseNetworks.build activations losses t with
                | Error reason -> NotBuilt reason
                | Ok case -> Checked(NetworkCheck.Check(None, numerical, None, case)))
