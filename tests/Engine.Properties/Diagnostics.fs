/// GradientDiagnostics: every statistic against the quantities the network already exposes, computed again here with plain
/// loops, and the saturation rules at their thresholds.
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
open Engine.Training
open Generators

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
    match ReferenceTable.activations.TryFind activation.Name with
    | Some(ReferenceTable.Elementwise f) -> Some (f (Dual.variable z)).D
    | _ -> None

/// The statistics of one step of a random network, recomputed from Deltas, PreActivations, Gradient and the weights.
let private checkStep (case: Case) =
    let network = case.Network
    let diagnostics = GradientDiagnostics(network)
    let before = network.Parameters |> Seq.map (fun p -> Array.copy p.Values) |> Array.ofSeq
    network.ComputeGradients(ReadOnlySpan case.Inputs, ReadOnlySpan case.Targets, case.Topology.Batch, case.Loss) |> ignore
    Sgd.Step(network, 0.1)
    diagnostics.Observe()
    let failures = ResizeArray<string>()
    let check what expected actual = agree what expected actual |> Option.iter failures.Add
    Assert.Equal(network.Layers.Count, diagnostics.Latest.Count)
    for l in 0 .. network.Layers.Count - 1 do
        let layer = network.Layers[l] :?> Dense
        let s = diagnostics.Latest[l]
        Assert.Equal(l, s.Layer)
        let width, batch = layer.OutputSize, case.Topology.Batch
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
        let mutable cases = 0
        let property =
            Prop.forAll topologies (fun topology ->
                match build topology with
                | None -> true |> Prop.ofTestable
                | Some case ->
                    Threading.Interlocked.Increment &cases |> ignore
                    let failures = checkStep case
                    failures.Count = 0 |> Prop.label (sprintf "%O\n%s" topology (String.Join("\n", failures))))
        try Check.One(Settings.config 100, property)
        finally output.WriteLine(sprintf "%d random networks checked" cases)

/// A 1 → n layer whose pre-activations for the single input 1 are exactly the biases (weights 0).
let private layerAt (activation: Activation) (z: float[]) =
    let layer = Dense(1, z.Length, activation)
    layer.SetParameters(Array.init z.Length (fun _ -> [| 0.0 |]), z)
    layer.Forward(ReadOnlySpan [| 1.0 |], 1).Length |> ignore
    layer

let private fraction (layer: Dense) =
    let slopes = Array.zeroCreate layer.PreActivations.Length
    layer.Activation.Backward(layer.PreActivations, layer.Outputs, ReadOnlySpan(Array.create slopes.Length 1.0), Span slopes, layer.OutputSize)
    (nonNull layer.Activation.Saturation).Fraction(ReadOnlySpan slopes, layer.OutputSize)

[<Fact>]
let ``sigmoid saturates where σ' < 0.1·¼, beyond |z| = 3.64; tanh where 1 − a² < 0.1, beyond |z| = 1.82`` () =
    // σ'(3.6) = 0.0259 and σ'(3.7) = 0.0236 straddle 0.025; 1 − tanh²(1.8) = 0.1041 and 1 − tanh²(1.85) = 0.0949 straddle 0.1.
    Assert.Equal(0.5, fraction (layerAt (Sigmoid()) [| 3.6; -3.6; 3.7; -3.7 |]))
    Assert.Equal(0.5, fraction (layerAt (Tanh()) [| 1.8; -1.8; 1.85; -1.85 |]))
    Assert.Equal(0.0, fraction (layerAt (Sigmoid()) [| 0.0; 1.0; -2.0; 3.5 |]))

[<Fact>]
let ``a ReLU unit is dead only when z ≤ 0 on every sample of the batch; leaky ReLU never dies`` () =
    let layer = Dense(2, 3, Relu())
    // Unit 0 is active on one sample only, unit 1 on none (its bias is far below its inputs), unit 2 on both.
    layer.SetParameters([| [| 1.0; 0.0 |]; [| 1.0; 1.0 |]; [| 0.0; 1.0 |] |], [| -0.5; -100.0; 0.5 |])
    layer.Forward(ReadOnlySpan [| 1.0; 0.0; 0.0; 1.0 |], 2).Length |> ignore
    Assert.Equal(1.0 / 3.0, fraction layer)
    let leaky = Dense(2, 3, LeakyRelu())
    leaky.SetParameters([| [| 1.0; 0.0 |]; [| 1.0; 1.0 |]; [| 0.0; 1.0 |] |], [| -0.5; -100.0; 0.5 |])
    leaky.Forward(ReadOnlySpan [| 1.0; 0.0; 0.0; 1.0 |], 2).Length |> ignore
    Assert.Equal(0.0, fraction leaky)
    Assert.Equal(1.0, fraction (layerAt (LeakyRelu 0.0) [| -1.0; -2.0 |]))

[<Fact>]
let ``a ReLU layer with a bias far below its inputs is reported dead by the diagnostics of a training step`` () =
    let hidden = Dense(3, 4, Relu())
    hidden.SetParameters(Array.init 4 (fun _ -> [| 0.5; -0.5; 0.25 |]), [| 0.1; -50.0; 0.2; 0.3 |])
    let output = Dense(4, 2, Softmax())
    output.SetParameters([| [| 0.1; 0.2; 0.3; 0.4 |]; [| -0.1; 0.2; -0.3; 0.4 |] |], [| 0.0; 0.0 |])
    let network = Network([ hidden :> Layer; output ])
    let diagnostics = GradientDiagnostics(network)
    let random = Random 3
    let x = Array.init 24 (fun _ -> random.NextDouble())
    network.ComputeGradients(ReadOnlySpan x, ReadOnlySpan(Array.init 8 (fun i -> float (i % 2))), 8, SparseCategoricalCrossEntropy()) |> ignore
    Sgd.Step(network, 0.1)
    diagnostics.Observe()
    Assert.Equal(0.25, diagnostics.Latest[0].SaturatedFraction)
    Assert.True(Double.IsNaN diagnostics.Latest[1].SaturatedFraction, "softmax declares no saturation")

[<Fact>]
let ``a sigmoid network with large weights reports most units saturated, and with small weights none`` () =
    let saturation (scale: float) =
        let network = Network.Dense([| 10; 20; 20; 1 |], Sigmoid(), Sigmoid())
        network.Initialize(WeightInitialization.Normal, 5)
        for p in network.Parameters do for i in 0 .. p.Count - 1 do p.Values[i] <- scale * p.Values[i]
        let random = Random 5
        let x = Array.init 160 (fun _ -> random.NextDouble() * 2.0 - 1.0)
        network.ComputeGradients(ReadOnlySpan x, ReadOnlySpan(Array.init 16 (fun i -> float (i % 2))), 16, BinaryCrossEntropy()) |> ignore
        let diagnostics = GradientDiagnostics(network)
        diagnostics.Observe()
        diagnostics.Latest |> Seq.map _.SaturatedFraction |> Array.ofSeq
    // Weights N(0, 900): z has a standard deviation above 30·√(10/3) ≈ 55 (inputs U(−1, 1), then activations of mean square
    // about ½ in 20 inputs), so P(|z| < 3.64) ≤ 0.8·3.64/55 < 0.06: nearly every entry sits in a tail.
    let large = saturation 30.0
    Assert.True(large |> Array.forall (fun f -> f >= 0.8), sprintf "saturated fractions with weights N(0, 900): %A" large)
    // Weights N(0, 1e-4): z has a standard deviation near 0.02, and σ' < 0.025 would need |z| > 3.64, over 150 of them.
    Assert.Equal<float[]>([| 0.0; 0.0; 0.0 |], saturation 0.01)

[<Fact>]
let ``Mean averages each statistic over the steps observed since Reset; pooling layers are not reported`` () =
    let conv = Conv2D(ImageShape(1, 4, 4), 2, 3, 3, 1, "same", Tanh())
    let pool = MaxPool2D(conv.OutputShape, 2)
    let flatten = Flatten(pool.OutputShape)
    let network = Network([ conv :> Layer; pool; flatten; Dense(flatten.OutputSize, 3, Softmax()) ])
    network.Initialize(WeightInitialization.Glorot, 2)
    let diagnostics = GradientDiagnostics(network)
    Assert.Equal<int[]>([| 0; 3 |], diagnostics.Latest |> Seq.map _.Layer |> Array.ofSeq)
    Assert.True(Double.IsNaN diagnostics.Mean[0].WeightGradientNorm, "no step observed yet")
    let random = Random 2
    let steps =
        [ for _ in 1 .. 3 ->
              let x = Array.init 32 (fun _ -> random.NextDouble())
              network.ComputeGradients(ReadOnlySpan x, ReadOnlySpan [| 0.0; 2.0 |], 2, SparseCategoricalCrossEntropy()) |> ignore
              Sgd.Step(network, 0.5)
              diagnostics.Observe()
              Array.ofSeq diagnostics.Latest ]
    Assert.Equal(3, diagnostics.Steps)
    for k in 0 .. 1 do
        let mean (field: LayerStatistics -> float) = steps |> List.averageBy (fun s -> field s[k])
        let m = diagnostics.Mean[k]
        for expected, actual in [ mean _.DeltaNorm, m.DeltaNorm; mean _.WeightGradientNorm, m.WeightGradientNorm; mean _.BiasGradientNorm, m.BiasGradientNorm
                                  mean _.UpdateRatio, m.UpdateRatio; mean _.SaturatedFraction, m.SaturatedFraction ] do
            Assert.Equal(expected, actual, 15)
    diagnostics.Reset()
    Assert.Equal(0, diagnostics.Steps)

[<Fact>]
let ``Sgd.Train calls afterStep once per step, after the update: the ratio is that step's η·‖∂C/∂W‖/‖W‖`` () =
    let network = Network.Dense([| 4; 5; 3 |], Tanh(), Softmax())
    network.Initialize(WeightInitialization.Glorot, 7)
    let random = Random 7
    let data = Engine.Data.Dataset(Array.init 40 (fun _ -> random.NextDouble()), 4, Array.init 10 (fun i -> float (i % 3)), 1)
    let diagnostics = GradientDiagnostics(network)
    let weights = network.Layers[1] :?> Dense
    let mutable previous = Array.copy weights.Weights
    let mutable worst = 0.0
    let afterStep () =
        diagnostics.Observe()
        // SGD moved W by η·∂C/∂W, so the ratio is η·‖g‖/‖W_before‖.
        let expected = 0.2 * norm weights.WeightGradient / norm previous
        worst <- max worst (Numerical.relativeError 0.0 expected diagnostics.Latest[1].UpdateRatio)
        previous <- Array.copy weights.Weights
    Sgd.Train(network, SparseCategoricalCrossEntropy(), data, SgdOptions(LearningRate = 0.2, BatchSize = 4, Epochs = 3), afterStep = afterStep) |> ignore
    Assert.Equal(9, diagnostics.Steps)
    // ‖w − w_before‖ subtracts rounded updates: each element of Δw = fl(w − ηg) − w carries a relative error up to 2⁻⁵³·|w|/|ηg|,
    // which for |w|/|ηg| ≲ 10³ stays far below 1e-9.
    Assert.True(worst <= 1e-9, sprintf "worst relative error %.2e" worst)
