/// GradientDiagnostics: the saturation rules at their thresholds, dead units, the mean over steps, and Trainer.Train's afterStep hook.
module Facts.Diagnostics

open System
open Xunit
open Engine.Activations
open Engine.Diagnostics
open Engine.Losses
open Engine.Networks
open Engine.Optimizers
open Engine.Training
open Engine.Verification

let private norm (values: float seq) = sqrt (Seq.sumBy (fun v -> v * v) values)

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
    Sgd().Bind(network).Step(0.1)
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
              Sgd().Bind(network).Step(0.5)
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
    // After Reset the mean is of the new steps alone; large weights saturate the tanh units, so that mean is not 0 either.
    for p in conv.Parameters do
        for i in 0 .. p.Values.Length - 1 do p.Values[i] <- 50.0 * p.Values[i]
    let after =
        [ for _ in 1 .. 2 ->
              network.ComputeGradients(ReadOnlySpan(Array.init 32 (fun _ -> random.NextDouble())), ReadOnlySpan [| 1.0; 0.0 |], 2, SparseCategoricalCrossEntropy()) |> ignore
              Sgd().Bind(network).Step(0.5)
              diagnostics.Observe()
              Array.ofSeq diagnostics.Latest ]
    let saturated = after |> List.averageBy (fun s -> s[0].SaturatedFraction)
    Assert.True(saturated > 0.5, $"saturated fraction {saturated}")
    for expected, actual in [ saturated, diagnostics.Mean[0].SaturatedFraction
                              after |> List.averageBy (fun s -> s[1].DeltaNorm), diagnostics.Mean[1].DeltaNorm
                              after |> List.averageBy (fun s -> s[0].WeightGradientNorm), diagnostics.Mean[0].WeightGradientNorm ] do
        Assert.Equal(expected, actual, 15)

[<Fact>]
let ``Trainer.Train calls afterStep once per step, after the update: the ratio is that step's η·‖∂C/∂W‖/‖W‖`` () =
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
        worst <- max worst (GradientCheck.RelativeError(expected, diagnostics.Latest[1].UpdateRatio, 0.0))
        previous <- Array.copy weights.Weights
    Trainer.Train(network, SparseCategoricalCrossEntropy(), data, TrainingOptions(LearningRate = 0.2, BatchSize = 4, Epochs = 3), afterStep = afterStep) |> ignore
    Assert.Equal(9, diagnostics.Steps)
    // ‖w − w_before‖ subtracts rounded updates: each element of Δw = fl(w − ηg) − w carries a relative error up to 2⁻⁵³·|w|/|ηg|,
    // which for |w|/|ηg| ≲ 10³ stays far below 1e-9.
    Assert.True(worst <= 1e-9, sprintf "worst relative error %.2e" worst)

[<Fact>]
let ``GradientDiagnostics refuses a null network by name`` () =
    Assert.Equal("network", Assert.Throws<ArgumentNullException>(fun () -> GradientDiagnostics(Unchecked.defaultof<Network>) |> ignore).ParamName)

[<Fact>]
let ``the update ratio of weights that were all zero is 0 while they stay zero and +∞ once they move`` () =
    let network = Network.Dense([| 2; 2 |], Tanh(), Softmax())
    for p in network.Parameters do Array.Clear p.Values
    let diagnostics = GradientDiagnostics(network)
    network.ComputeGradients(ReadOnlySpan [| 1.0; 2.0 |], ReadOnlySpan [| 1.0 |], 1, SparseCategoricalCrossEntropy()) |> ignore
    diagnostics.Observe()
    Assert.Equal(0.0, diagnostics.Latest[0].UpdateRatio)
    Sgd().Bind(network).Step(0.5)
    diagnostics.Observe()
    Assert.Equal(Double.PositiveInfinity, diagnostics.Latest[0].UpdateRatio)
