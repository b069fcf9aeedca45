/// The optimizers against independent references (ReferenceOptimizers.fs) on every hyperparameter drawn in its range, and
/// the properties that pin their documented semantics. Every registered optimizer is drawn: a new one is verified with no
/// test edit (and reported as lacking a reference until it has one).
module OptimizerProperties

open System
open Xunit
open Xunit.Abstractions
open FsCheck
open FsCheck.FSharp
open Engine
open Engine.Activations
open Engine.Losses
open Engine.Networks
open Engine.Optimizers
open Engine.Schedules
open Engine.Verification

let optimizers = Registry<Optimizer>.Builtin

// Each logs |a − b| beyond the rounding of storing θ (which no implementation avoids), relative to the displacement.
let trajectoryLog = Accuracy "optimizers: steps vs independent references"
let firstStepLog = Accuracy "optimizers: Adam/AdamW first step vs closed form"
let nesterovLog = Accuracy "optimizers: Nesterov minus classical momentum"

/// Steps of every trajectory.
let steps = 12

/// The unit roundoff 2⁻⁵³: storing θ after a step rounds it by at most u·|θ|.
let unitRoundoff = Math.Pow(2.0, -53.0)

/// Two small networks with four parameter tensors each, widths that are not multiples of the vector width (so every SIMD
/// tail runs), and tanh so that no gradient is exactly 0 by a kink.
type Architecture =
    | DenseNetwork
    | ConvolutionalNetwork

let build (architecture: Architecture) (seed: int) =
    let network =
        match architecture with
        | DenseNetwork -> Network.Dense([| 3; 5; 4 |], Tanh(), Softmax())
        | ConvolutionalNetwork ->
            let conv = Conv2D(ImageShape(1, 4, 4), 2, 2, 2, 1, "valid", Tanh())
            let flatten = Flatten(conv.OutputShape)
            Network([ conv :> Layer; flatten; Dense(flatten.OutputSize, 3, Softmax()) ])
    network.Initialize(WeightInitialization.Glorot, seed)
    let random = Random(seed + 1)
    let batch = 4
    let inputs = Array.init (batch * network.InputSize) (fun _ -> Engine.Numerics.StandardNormal random)
    let targets = Array.init batch (fun _ -> float (random.Next network.OutputSize))
    network, (fun () -> network.ComputeGradients(ReadOnlySpan inputs, ReadOnlySpan targets, batch, SparseCategoricalCrossEntropy()) |> ignore)

/// An optimizer with its hyperparameters, a network, a learning rate per step, and for each parameter the number of first
/// steps it stays frozen (0: never; 12: always).
type Trajectory =
    { Optimizer: Optimizer
      Architecture: Architecture
      Seed: int
      Rates: float[]
      FrozenFor: int[] }
    override this.ToString() =
        sprintf "%O on %A, seed %d, rates %A, frozen for %A steps" this.Optimizer this.Architecture this.Seed this.Rates this.FrozenFor

/// A log-uniform learning rate in [1e-3, 1e-1].
let private rate = Gen.choose (0, 1000) |> Gen.map (fun k -> 1e-3 * Math.Pow(100.0, float k / 1000.0))

/// One of `names` with every hyperparameter drawn by the kit (each value recorded for the completeness test); combinations the
/// constructor refuses (Nesterov with dampening or without momentum) are drawn again.
let optimizerOf (names: seq<string>) : Gen<Optimizer> =
    Draw.componentOf optimizers names
    |> Gen.filter (fun c ->
        try optimizers.Create(c.Name, Collections.Generic.Dictionary(dict c.Hyperparameters)) |> ignore; true
        with :? ArgumentException -> false)
    |> Gen.map (Draw.create optimizers)

let anyOptimizer = optimizerOf optimizers.Names

/// Every hyperparameter of a registered component by name.
let valuesOf (entry: obj) = Hyperparameters.ValuesOf entry |> Seq.map (fun struct (h, v) -> h.Name, v) |> Map.ofSeq

let trajectoryOf (optimizer: Gen<Optimizer>) = gen {
    let! optimizer = optimizer
    let! architecture = Gen.elements [ DenseNetwork; ConvolutionalNetwork ]
    let! seed = Gen.choose (0, 1_000_000)
    let! rates = Gen.arrayOfLength steps rate
    let! frozen = Gen.arrayOfLength 4 (Gen.frequency [ 3, Gen.constant 0; 1, Gen.choose (1, steps) ])
    return { Optimizer = optimizer; Architecture = architecture; Seed = seed; Rates = rates; FrozenFor = frozen } }

let trajectories = Arb.fromGen (trajectoryOf anyOptimizer)

let private values (network: Network) = network.Parameters |> Seq.map (fun p -> Array.copy p.Values) |> Array.ofSeq

/// The reference's setup for `optimizer` on `network`.
let setupFor (optimizer: Optimizer) (network: Network) : ReferenceOptimizers.Setup =
    { Hyperparameters = valuesOf optimizer
      Sizes = network.Parameters |> Seq.map _.Count |> Array.ofSeq
      IsBias = network.Parameters |> Seq.map (fun p -> p.Name = "bias") |> Array.ofSeq }

/// Runs the engine's optimizer on the case's network and `reference` on the same gradients for `steps` steps, each keeping
/// its own state (moments, buffers, step counts). Each step starts both from the engine's θ, and the step each takes is
/// compared: |θₑ − θᵣ| ≤ 1e-12·max(|Δₑ|, |Δᵣ|, 1e-3·Δ∞) + k·u·max(|θₑ|, |θᵣ|), Δ the step and Δ∞ the largest of the step, plus
/// the roundings of applying it to θ: k = 2, adding it on each side; k = 5 with decoupled decay, which first shrinks θ
/// (θ·(1 − γλ), two roundings and one more adding the step, against θ − γλθ and the step, one each). Letting θ run free
/// would compare the problem's conditioning, not the implementations: where g + λθ nearly cancels, Adam with β₂ = 0
/// amplifies the last bit of θ by γλ/ε. Returns the failures.
let compareTrajectory (log: Accuracy) (case: Trajectory) (reference: ReferenceOptimizers.Setup -> ReferenceOptimizers.Step) =
    let network, computeGradients = build case.Architecture case.Seed
    let state = case.Optimizer.Bind network
    let step = reference (setupFor case.Optimizer network)
    let failures = ResizeArray<string>()
    log.Configuration()
    for t in 1 .. steps do
        computeGradients ()
        let gradients = network.Parameters |> Seq.map (fun p -> Array.copy p.Gradient) |> Array.ofSeq
        let active = case.FrozenFor |> Array.map (fun k -> t > k)
        Seq.iteri (fun p (parameter: Parameter) -> parameter.Frozen <- not active[p]) network.Parameters
        let start = values network
        let theta = values network
        state.Step case.Rates[t - 1]
        step case.Rates[t - 1] theta gradients active
        let engine = values network
        let largest = Seq.max (seq { yield 0.0; for p in 0 .. theta.Length - 1 do for i in 0 .. theta[p].Length - 1 -> abs (theta[p][i] - start[p][i]) })
        for p in 0 .. theta.Length - 1 do
            let parameter = network.Parameters[p]
            let shrinks = case.Optimizer.DecouplesWeightDecay && case.Optimizer.WeightDecay <> 0.0 && (parameter.Name <> "bias" || case.Optimizer.DecayBiases)
            let roundings = if shrinks then 5.0 else 2.0
            for i in 0 .. theta[p].Length - 1 do
                let e, r = engine[p][i], theta[p][i]
                let scale = max (max (abs (e - start[p][i])) (abs (r - start[p][i]))) (1e-3 * largest)
                let storage = roundings * unitRoundoff * max (abs e) (abs r)
                if scale > 0.0 then log.Add(max 0.0 (abs (e - r) - storage) / scale)
                if not (abs (e - r) <= 1e-12 * scale + storage) && failures.Count < 3 then
                    failures.Add(sprintf "step %d, %s[%d]: engine %.17g, reference %.17g (from %.17g)" t (network.ParameterNames[p]) i e r (start[p][i]))
    List.ofSeq failures

type Tests(output: ITestOutputHelper) =
    [<Fact>]
    member _.``every optimizer, every hyperparameter drawn in its range, follows its reference trajectory to 1e-12`` () =
        Suite.check output "optimizers: every one against its reference" 300 [ trajectoryLog ] (fun () -> []) trajectories (fun case ->
            match ReferenceOptimizers.table.TryFind case.Optimizer.Name with
            | None -> NotBuilt(sprintf "no reference implementation of %s" case.Optimizer.Name)
            | Some reference -> Outcome.OfFailures(compareTrajectory trajectoryLog case reference))

    [<Fact>]
    member _.``the trajectory check can fail: a learning rate 1e-9 too large, and Adam checked against AdamW, are caught`` () =
        let case = { Optimizer = Adam(); Architecture = DenseNetwork; Seed = 3; Rates = Array.create steps 0.01; FrozenFor = Array.zeroCreate 4 }
        let meta = Accuracy "meta"
        Assert.Empty(compareTrajectory meta case ReferenceOptimizers.adam)
        let scaled (setup: ReferenceOptimizers.Setup) : ReferenceOptimizers.Step =
            let inner = ReferenceOptimizers.adam setup
            fun rate -> inner (rate * (1.0 + 1e-9))
        Assert.NotEmpty(compareTrajectory meta case scaled)
        let decayed = { case with Optimizer = Adam(0.9, 0.999, 1e-8, 0.05, false, false) }
        Assert.Empty(compareTrajectory meta decayed ReferenceOptimizers.adam)
        Assert.NotEmpty(compareTrajectory meta decayed ReferenceOptimizers.adamw)

    [<Fact>]
    member _.``SGD with momentum 0 is plain SGD, θ ← θ − γg, bit for bit, whatever the dampening`` () =
        Suite.check output "optimizers: SGD with momentum 0" 50 [] (fun () -> []) (Arb.fromGen (trajectoryOf (optimizerOf [ "sgd" ]))) (fun case ->
                let optimizer = Sgd(0.0, (case.Optimizer :?> Sgd).Dampening, false, 0.0, false)
                let network, computeGradients = build case.Architecture case.Seed
                let state = optimizer.Bind network
                let expected = values network
                let mutable equal = true
                for t in 1 .. steps do
                    computeGradients ()
                    state.Step case.Rates[t - 1]
                    Seq.iteri (fun p (parameter: Parameter) ->
                        for i in 0 .. parameter.Count - 1 do
                            expected[p][i] <- Math.FusedMultiplyAdd(-case.Rates[t - 1], parameter.Gradient[i], expected[p][i])) network.Parameters
                    equal <- equal && values network = expected
                Suite.holds equal (fun () -> "the parameters differ from θ − γg"))

    [<Fact>]
    member _.``Nesterov's step differs from classical momentum's by exactly −γ(g + μb − b), b the shared buffer`` () =
        let settings = gen {
            let! mu = Gen.choose (1, 99) |> Gen.map (fun k -> float k / 100.0)
            let! seed = Gen.choose (0, 1_000_000)
            let! gamma = rate
            return mu, seed, gamma }
        Suite.check output "optimizers: Nesterov against classical momentum" 100 [ nesterovLog ] (fun () -> []) (Arb.fromGen settings) (fun (mu, seed, gamma) ->
                let random = Random seed
                let n = 13
                let make () = Networks.Parameter("weight", n)
                let classical, nesterov = make (), make ()
                let classicalState = Sgd(mu, 0.0, false, 0.0, false).Bind([ classical ], [ "w" ])
                let nesterovState = Sgd(mu, 0.0, true, 0.0, false).Bind([ nesterov ], [ "w" ])
                let buffer = Array.zeroCreate n
                let failures = ResizeArray()
                nesterovLog.Configuration()
                for t in 1 .. steps do
                    let g = Array.init n (fun _ -> Engine.Numerics.StandardNormal random)
                    for i in 0 .. n - 1 do buffer[i] <- if t = 1 then g[i] else mu * buffer[i] + g[i]
                    g.CopyTo(classical.Gradient, 0)
                    g.CopyTo(nesterov.Gradient, 0)
                    let c0, n0 = Array.copy classical.Values, Array.copy nesterov.Values
                    classicalState.Step gamma
                    nesterovState.Step gamma
                    let expected = Array.init n (fun i -> -gamma * (g[i] + mu * buffer[i] - buffer[i]))
                    let actual = Array.init n (fun i -> (nesterov.Values[i] - n0[i]) - (classical.Values[i] - c0[i]))
                    // Each step is read back as a difference of stored θ, exact to 2u·|θ|; the buffers are the same recurrence
                    // summed in the same order, so the rest agrees to rounding: 1e-12 of the largest difference.
                    let floor = 1e-3 * Array.max (Array.map abs expected)
                    for i in 0 .. n - 1 do
                        let storage = 4.0 * unitRoundoff * (abs nesterov.Values[i] + abs classical.Values[i])
                        let error = max 0.0 (abs (expected[i] - actual[i]) - storage) / max floor (max (abs expected[i]) (abs actual[i]))
                        nesterovLog.Add error
                        if not (error <= 1e-12) then failures.Add(sprintf "step %d, element %d: %g vs %g" t i expected[i] actual[i])
                Outcome.OfFailures(Seq.truncate 3 failures))

    [<Fact>]
    member _.``Adam's first step is −γ(g + λθ)/(|g + λθ| + ε) and AdamW's −γλθ − γg/(|g| + ε), every hyperparameter drawn`` () =
        let cases = gen {
            let! optimizer = optimizerOf [ "adam"; "adamw" ] |> Gen.map (fun o -> o :?> Adam)
            let! seed = Gen.choose (0, 1_000_000)
            let! gamma = rate
            let! magnitude = Gen.choose (-8, 2)
            return optimizer, seed, gamma, magnitude }
        Suite.check output "optimizers: Adam's and AdamW's first step" 200 [ firstStepLog ] (fun () -> []) (Arb.fromGen cases) (fun (optimizer, seed, gamma, magnitude) ->
                let random = Random seed
                let n = 11
                let parameter = Networks.Parameter("weight", n)
                for i in 0 .. n - 1 do
                    parameter.Values[i] <- Engine.Numerics.StandardNormal random
                    parameter.Gradient[i] <- Engine.Numerics.StandardNormal random * Math.Pow(10.0, float magnitude)
                let theta, g = Array.copy parameter.Values, Array.copy parameter.Gradient
                optimizer.Bind([ parameter ], [ "w" ]).Step gamma
                let lambda, eps = optimizer.WeightDecay, optimizer.Eps
                let expected =
                    Array.init n (fun i ->
                        if optimizer :? AdamW then -gamma * lambda * theta[i] - gamma * g[i] / (abs g[i] + eps)
                        else let d = Math.FusedMultiplyAdd(lambda, theta[i], g[i]) in -gamma * d / (abs d + eps))
                firstStepLog.Configuration()
                let bad =
                    [ for i in 0 .. n - 1 do
                        let actual = parameter.Values[i] - theta[i]
                        // The displacement is read back from stored θ, exact to 2u·|θ|.
                        let storage = 2.0 * unitRoundoff * (abs theta[i] + abs parameter.Values[i])
                        let error = max 0.0 (abs (expected[i] - actual) - storage) / max (abs expected[i]) (abs actual)
                        firstStepLog.Add error
                        if not (error <= 1e-12) then yield i, expected[i], actual ]
                Suite.holds bad.IsEmpty (fun () -> sprintf "elements (index, closed form, step) %A" bad))

    [<Fact>]
    member _.``AdamW with weight decay 0 is Adam, bit for bit`` () =
        Suite.check output "optimizers: AdamW without decay" 50 [] (fun () -> []) (Arb.fromGen (trajectoryOf (optimizerOf [ "adam" ]))) (fun case ->
                let adam = case.Optimizer :?> Adam
                let run (optimizer: Optimizer) =
                    let network, computeGradients = build case.Architecture case.Seed
                    let state = optimizer.Bind network
                    for t in 1 .. steps do
                        computeGradients ()
                        state.Step case.Rates[t - 1]
                    values network
                let plain = Adam(adam.Beta1, adam.Beta2, adam.Eps, 0.0, adam.Amsgrad, adam.DecayBiases)
                let decoupled = AdamW(adam.Beta1, adam.Beta2, adam.Eps, 0.0, adam.Amsgrad, adam.DecayBiases)
                Suite.holds (run plain = run decoupled) (fun () -> "AdamW with λ = 0 moved the parameters differently from Adam"))

    [<Fact>]
    member _.``coupled decay is the rule on g + λθ, decoupled decay shrinks θ by 1 − γλ before the rule, and biases decay only when asked`` () =
        Suite.check output "optimizers: coupled and decoupled weight decay" 100 [] (fun () -> []) trajectories (fun case ->
                let optimizer = case.Optimizer
                let lambda = optimizer.WeightDecay
                let values' = valuesOf optimizer |> Map.map (fun _ v -> Hyperparameter.Format v)
                let withoutDecay = optimizers.Create(optimizer.Name, Map.add "weightDecay" "0" values')
                let decayed, computeGradients = build case.Architecture case.Seed
                let plain, _ = build case.Architecture case.Seed
                let decayedState, plainState = optimizer.Bind decayed, withoutDecay.Bind plain
                let mutable equal = true
                for t in 1 .. steps do
                    computeGradients ()
                    let gamma = case.Rates[t - 1]
                    // The same gradients of C at the decayed network's θ; the plain optimizer gets the decay by hand.
                    for p in 0 .. decayed.Parameters.Count - 1 do
                        let source, target = decayed.Parameters[p], plain.Parameters[p]
                        let decays = target.Name <> "bias" || optimizer.DecayBiases
                        for i in 0 .. target.Count - 1 do
                            target.Values[i] <- source.Values[i]
                            target.Gradient[i] <- source.Gradient[i]
                            if decays && lambda <> 0.0 then
                                if optimizer.DecouplesWeightDecay then target.Values[i] <- target.Values[i] * (1.0 - gamma * lambda)
                                else target.Gradient[i] <- Math.FusedMultiplyAdd(lambda, source.Values[i], source.Gradient[i])
                    decayedState.Step gamma
                    plainState.Step gamma
                    equal <- equal && values decayed = values plain
                Suite.holds equal (fun () -> "the decayed optimizer moved differently from the rule on the decay applied by hand"))

    [<Fact>]
    member _.``a frozen parameter is not moved, decayed or counted, by every optimizer`` () =
        for optimizer in optimizers.All do
            let network, computeGradients = build DenseNetwork 1
            let state = optimizer.Bind network
            let frozen = network.Parameters[1]
            frozen.Frozen <- true
            let before = Array.copy frozen.Values
            for _ in 1 .. 3 do
                computeGradients ()
                state.Step 0.1
            Assert.Equal<float[]>(before, frozen.Values)
            Assert.Equal((3L, 0L, 3L), (state.Steps, state[1].Step, state[0].Step))
            let untrained, _ = build DenseNetwork 1
            Assert.NotEqual<float[]>(untrained.Parameters[0].Values, network.Parameters[0].Values)

    [<Fact>]
    member _.``saving the state after some steps and restoring it into a fresh binding continues bit-identically`` () =
        Suite.check output "optimizers: state saved and restored" 100 [] (fun () -> []) (Arb.fromGen (Gen.zip (trajectoryOf anyOptimizer) (Gen.choose (1, steps - 1)))) (fun (case, split) ->
                let network, computeGradients = build case.Architecture case.Seed
                let state = case.Optimizer.Bind network
                let step t = computeGradients (); state.Step case.Rates[t - 1]
                for t in 1 .. split do step t
                let saved = state.Save()
                let parameters = values network
                for t in split + 1 .. steps do step t
                let uninterrupted = values network
                let resumed, computeResumed = build case.Architecture case.Seed
                Seq.iteri (fun p (parameter: Parameter) -> parameters[p].CopyTo(parameter.Values, 0)) resumed.Parameters
                let restored = case.Optimizer.Bind resumed
                restored.Restore saved
                for t in split + 1 .. steps do computeResumed (); restored.Step case.Rates[t - 1]
                Suite.holds (values resumed = uninterrupted && restored.Steps = state.Steps) (fun () -> sprintf "the run restored after %d steps differs" split))

    [<Fact>]
    member _.``the saved state names PyTorch's buffers per parameter, and restoring refuses what does not fit, naming the tensor`` () =
        let network, computeGradients = build DenseNetwork 1
        let state = Adam(0.9, 0.999, 1e-8, 0.0, true, false).Bind network
        computeGradients ()
        state.Step 0.01
        let saved = state.Save()
        Assert.Equal<string list>(
            [ for p in network.ParameterNames do for s in [ "exp_avg"; "exp_avg_sq"; "max_exp_avg_sq"; "step" ] -> p + "." + s ] @ [ "step" ],
            saved |> Seq.map _.Name |> List.ofSeq)
        Assert.Equal<int[]>([| 5; 3 |], saved[0].Shape |> Array.ofSeq)
        let refuse (tensors: Serialization.Tensor seq) (message: string) =
            let error = Assert.Throws<ArgumentException>(fun () -> state.Restore(Array.ofSeq tensors))
            Assert.Contains(message, error.Message)
        refuse (Seq.tail saved) "lacks tensor 'layers.0.weight.exp_avg'"
        refuse (Seq.append saved [ Serialization.Tensor("layers.9.weight.exp_avg", [| 1 |], [| 0.0 |]) ]) "Tensor 'layers.9.weight.exp_avg' is not part of the adam state"
        refuse (saved |> Seq.map (fun t -> if t.Name = "layers.0.bias.exp_avg" then Serialization.Tensor(t.Name, [| 4 |], Array.zeroCreate 4) else t)) "has shape [4], but the adam state needs [5]"
        refuse (saved |> Seq.map (fun t -> if t.Name = "layers.1.bias.exp_avg_sq" then Serialization.Tensor(t.Name, t.Shape, Array.create 4 nan) else t)) "holds NaN at index 0"
        refuse (saved |> Seq.map (fun t -> if t.Name = "step" then Serialization.Tensor(t.Name, t.Shape, [| 1.5 |]) else t)) "Tensor 'step' must hold a whole number of steps, but holds 1.5"
        let before = state.Save()
        Assert.True(Seq.forall2 (fun (a: Serialization.Tensor) (b: Serialization.Tensor) -> a.Name = b.Name && a.Values = b.Values) saved before, "a refused restore changed the state")
        Assert.Contains("lacks tensor 'layers.0.weight.exp_avg'", Assert.Throws<ArgumentException>(fun () -> Adam().Bind(network).Restore(Sgd(0.9, 0.0, false, 0.0, false).Bind(network).Save())).Message)

    [<Fact>]
    member _.``every optimizer converges on a convex quadratic from random starts, with a cosine schedule`` () =
        let cases = Gen.zip3 (Gen.elements optimizers.Names) (Gen.choose (0, 1_000_000)) (Gen.choose (1, 20))
        Suite.check output "optimizers: convergence on a convex quadratic" 30 [] (fun () -> []) (Arb.fromGen cases) (fun (name, seed, n) ->
                // f(θ) = ½Σᵢ aᵢ(θᵢ − cᵢ)², aᵢ ∈ [0.5, 2], over a weight and a bias; every optimizer at its defaults without decay
                // (decay moves the minimum), γ₀ = 1 annealed to 0 over 1000 steps (for SGD γ·a ≤ 2 from the first step on, so
                // it never diverges; AdaGrad, whose steps shrink as 1/√t, is the slowest and ends near 1e-5 of the start).
                let random = Random seed
                let optimizer = optimizers.Create(name, Map [ "weightDecay", "0" ])
                let parameters = [ Networks.Parameter("weight", n); Networks.Parameter("bias", 3) ]
                let curvature = parameters |> List.map (fun p -> Array.init p.Count (fun _ -> 0.5 + 1.5 * random.NextDouble()))
                let centre = parameters |> List.map (fun p -> Array.init p.Count (fun _ -> Engine.Numerics.StandardNormal random))
                for p, parameter in List.indexed parameters do
                    for i in 0 .. parameter.Count - 1 do parameter.Values[i] <- centre[p][i] + 3.0 * Engine.Numerics.StandardNormal random
                let distance () = Seq.max (seq { for p, parameter in List.indexed parameters do for i in 0 .. parameter.Count - 1 -> abs (parameter.Values[i] - centre[p][i]) })
                let initial = distance ()
                let state = optimizer.Bind(parameters, [ "w"; "b" ])
                let schedule, total = CosineAnnealing(), 1000
                for t in 0 .. total - 1 do
                    for p, parameter in List.indexed parameters do
                        for i in 0 .. parameter.Count - 1 do parameter.Gradient[i] <- curvature[p][i] * (parameter.Values[i] - centre[p][i])
                    state.Step(schedule.Rate(1.0, t, total))
                let final = distance ()
                Suite.holds (final <= 1e-3 * initial) (fun () -> sprintf "%O: the distance to the minimum went from %g to %g" optimizer initial final))

    [<Fact>]
    member _.``invalid settings are refused naming the hyperparameter`` () =
        let refused name (values: (string * string) list) (parameter: string) (message: string) =
            let error = Assert.ThrowsAny<ArgumentException>(fun () -> optimizers.Create(name, Map values) |> ignore)
            Assert.Contains(message, error.Message)
            Assert.Equal(parameter, (match error.InnerException with :? ArgumentException as inner -> inner.ParamName | _ -> null))
        refused "sgd" [ "nesterov", "true" ] "nesterov" "nesterov requires a momentum > 0 and zero dampening, but momentum is 0 and dampening 0"
        refused "sgd" [ "nesterov", "true"; "momentum", "0.9"; "dampening", "0.1" ] "nesterov" "but momentum is 0.9 and dampening 0.1"
        refused "sgd" [ "momentum", "-0.5" ] "momentum" "momentum must be non-negative and finite"
        refused "adam" [ "beta1", "1" ] "beta1" "beta1 must lie in [0, 1)"
        refused "adamw" [ "beta2", "-0.1" ] "beta2" "beta2 must lie in [0, 1)"
        refused "adam" [ "eps", "0" ] "eps" "eps must be positive and finite"
        refused "rmsprop" [ "alpha", "1" ] "alpha" "alpha must lie in [0, 1)"
        refused "adagrad" [ "lrDecay", "-1" ] "lrDecay" "lrDecay must be non-negative and finite"
        refused "adagrad" [ "weightDecay", "NaN" ] "weightDecay" "weightDecay must be non-negative and finite"
        let negative = Assert.Throws<ArgumentOutOfRangeException>(fun () -> Sgd().Bind(fst (build DenseNetwork 1)).Step(-0.1))
        Assert.Equal("learningRate", negative.ParamName)

    [<Fact>]
    member _.``every optimizer type is registered with PyTorch's defaults, its hyperparameters readable and rebuilt by name`` () =
        let concrete = typeof<Optimizer>.Assembly.GetTypes() |> Array.filter (fun t -> typeof<Optimizer>.IsAssignableFrom t && not t.IsAbstract)
        let registered = Collections.Generic.HashSet(optimizers.All |> Seq.map (fun o -> o.GetType()))
        Assert.Empty(concrete |> Array.filter (fun t -> not (registered.Contains t)))
        for optimizer in optimizers.All do
            let values = valuesOf optimizer |> Map.map (fun _ v -> Hyperparameter.Format v)
            Assert.Equal(Hyperparameters.Summarize optimizer, Hyperparameters.Summarize(optimizers.Create(optimizer.Name, values)))
            let verified = if ReferenceOptimizers.table.ContainsKey optimizer.Name then "its reference trajectory and every property" else "every property (no reference row)"
            output.WriteLine(sprintf "optimizer %-8s %s verified by %s" optimizer.Name (Hyperparameters.Summarize optimizer) verified)
        for name in ReferenceOptimizers.table.Keys do Assert.Contains(name, optimizers.Names)
        Assert.Equal<string list>([ "adagrad"; "adam"; "adamw"; "rmsprop"; "sgd" ], List.ofSeq optimizers.Names)
        // PyTorch's defaults (its documentation's signatures), the learning rate included.
        for name, defaults, rate in [ "sgd", "sgd(momentum=0, dampening=0, nesterov=false, weightDecay=0, decayBiases=false)", 1e-3
                                      "adagrad", "adagrad(lrDecay=0, initialAccumulatorValue=0, eps=1E-10, weightDecay=0, decayBiases=false)", 1e-2
                                      "rmsprop", "rmsprop(alpha=0.99, eps=1E-08, momentum=0, centered=false, weightDecay=0, decayBiases=false)", 1e-2
                                      "adam", "adam(beta1=0.9, beta2=0.999, eps=1E-08, weightDecay=0, amsgrad=false, decayBiases=false)", 1e-3
                                      "adamw", "adamw(beta1=0.9, beta2=0.999, eps=1E-08, weightDecay=0.01, amsgrad=false, decayBiases=false)", 1e-3 ] do
            Assert.Equal(defaults, string (optimizers.Get name))
            Assert.Equal(rate, (optimizers.Get name).DefaultLearningRate)
