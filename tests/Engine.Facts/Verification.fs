/// The public GradientCheck (behind `nn gradcheck`): what it reports for right and wrong derivatives, NaN and kinks.
module Facts.Verification

open System
open Xunit
open Engine.Activations
open Engine.Losses
open Engine.Networks
open Engine.Verification
open Facts.Support

let private inputs, targets = [| 0.1; -0.5; 0.9; 0.3; 0.2; -0.7 |], [| 1.0; 0.0; 0.0; 1.0 |]

[<Fact>]
let ``a wrong derivative fails, the right one passes, and values are named by row and column`` () =
    let network = Network([ Dense(3, 4, BrokenSigmoid()) :> Layer; Dense(4, 2, Identity()) ])
    network.Initialize(WeightInitialization.Glorot, 2)
    let report = GradientCheck.Run(network, MeanSquaredError(), inputs, targets, 2)
    Assert.False(report.Passed)
    Assert.True(report.Groups[0].MaxError > 1e-4, sprintf "%A" report.Groups[0])
    let dense = network.Layers[0] :?> Dense
    Assert.Equal("weight[2, 1]", GradientCheck.Label(dense.Parameters[0], 7))
    Assert.Equal("bias[2]", GradientCheck.Label(dense.Parameters[1], 2))
    let correct = Network([ Dense(3, 4, Sigmoid()) :> Layer; Dense(4, 2, Identity()) ])
    correct.Initialize(WeightInitialization.Glorot, 2)
    Assert.True(GradientCheck.Run(correct, MeanSquaredError(), inputs, targets, 2).Passed)

[<Fact>]
let ``a NaN derivative is reported as an infinite error`` () =
    let network = Network([ Dense(3, 4, BrokenSigmoid nan) :> Layer; Dense(4, 2, Identity()) ])
    network.Initialize(WeightInitialization.Glorot, 2)
    let report = GradientCheck.Run(network, MeanSquaredError(), inputs, targets, 2)
    Assert.Equal(Double.PositiveInfinity, report.Groups[0].MaxError)
    Assert.False(report.Passed)

[<Fact>]
let ``equal values have error 0, even infinite ones or with no floor`` () =
    Assert.Equal(0.0, GradientCheck.RelativeError(0.0, 0.0, 0.0))
    Assert.Equal(0.0, GradientCheck.RelativeError(infinity, infinity, 1e-6))

[<Fact>]
let ``a stencil that crosses two kinks is skipped, not only one that crosses one`` () =
    // x = 0.5, h = 1e-3: the stencil visits 0.502, 0.501, 0.499, 0.498. Unit 1's kink lies at 0.5015, unit 2's at 0.4985,
    // so the side fingerprint changes twice; an odd-even count of changes would accept the stencil.
    let layer = Dense(1, 2, Relu())
    layer.SetParameters([| [| 1.0 |]; [| 1.0 |] |], [| -0.5015; -0.4985 |])
    let report = GradientCheck.Run(Network([ layer :> Layer ]), MeanSquaredError(), [| 0.5 |], [| 0.0; 0.0 |], 1)
    let input = report.Groups |> Seq.find (fun g -> g.Group = "input")
    Assert.Equal(0, input.Checked)

[<Fact>]
let ``a stencil is skipped when only an earlier unit crosses its kink`` () =
    // Unit 1's kink lies at x = 0.5015, inside the stencil; unit 2's pre-activation stays near 5.5, far from its kink.
    let layer = Dense(1, 2, Relu())
    layer.SetParameters([| [| 1.0 |]; [| 1.0 |] |], [| -0.5015; 5.0 |])
    let report = GradientCheck.Run(Network([ layer :> Layer ]), MeanSquaredError(), [| 0.5 |], [| 0.0; 0.0 |], 1)
    let input = report.Groups |> Seq.find (fun g -> g.Group = "input")
    Assert.Equal(0, input.Checked)

[<Fact>]
let ``a stencil is skipped when only an earlier output crosses the loss's corner`` () =
    // Hinge with target +1 has its corner at a = 1: output 1 = x + 0.4985 reaches it at x = 0.5015, inside the stencil;
    // output 2 = x + 5 stays far from it.
    let layer = Dense(1, 2, Identity())
    layer.SetParameters([| [| 1.0 |]; [| 1.0 |] |], [| 0.4985; 5.0 |])
    let hinge = Engine.Registry<Loss>.Builtin.Get "hinge"
    let report = GradientCheck.Run(Network([ layer :> Layer ]), hinge, [| 0.5 |], [| 1.0; 1.0 |], 1)
    let input = report.Groups |> Seq.find (fun g -> g.Group = "input")
    Assert.Equal(0, input.Checked)

[<Fact>]
let ``gradient check: the error measure, the tolerance and what it skips at kinks`` () =
    Assert.Equal(0.0, GradientCheck.RelativeError(1.0, 1.0, 1e-6))
    Assert.Equal(0.5, GradientCheck.RelativeError(1.0, 2.0, 1e-6))
    Assert.Equal(1e-3, GradientCheck.RelativeError(1e-9, 0.0, 1e-6), 15)
    let network = Network([ Dense(1, 1, Relu()) :> Layer ])
    throwsFor "tolerance" [ "positive" ] (fun () -> GradientCheck.Run(network, MeanSquaredError(), [| 1.0 |], [| 0.0 |], 1, 0.0))
    // A pre-activation 1e-4 from ReLU's kink: every stencil on the weight, the bias and the input straddles it.
    let layer = network.Layers[0] :?> Dense
    layer.SetParameters([| [| 1.0 |] |], [| -0.9999 |])
    let report = GradientCheck.Run(network, MeanSquaredError(), [| 1.0 |], [| 0.0 |], 1)
    Assert.Equal(3, report.SkippedAtKinks)
    Assert.True(report.Passed)
    Assert.Equal<string list>([ "layer 1"; "input" ], report.Groups |> Seq.map _.Group |> List.ofSeq)

[<Fact>]
let ``the gradient check reports counts, the worst value by name, and leaves out stencils across a loss's kink`` () =
    let network = Network.Dense([| 2; 3; 1 |], Tanh(), Identity())
    network.Initialize(WeightInitialization.Glorot, 3)
    let report = GradientCheck.Run(network, MeanSquaredError(), [| 0.5; -0.5; 1.0; 2.0 |], [| 0.3; -0.2 |], 2)
    Assert.Equal<int list>([ 9; 4; 4 ], report.Groups |> Seq.map _.Checked |> List.ofSeq)
    Assert.Equal<string list>([ "layer 1"; "layer 2"; "input" ], report.Groups |> Seq.map _.Group |> List.ofSeq)
    Assert.Matches(@"^(weight\[\d, \d\]|bias\[\d\])$", report.Groups[0].WorstAt)
    Assert.Matches(@"^input\[\d, \d\]$", report.Groups[2].WorstAt)
    Assert.True(report.Groups |> Seq.forall (fun g -> g.MaxError < 1e-9 && abs (g.Analytic - g.Numerical) <= 1e-9 * max 1.0 (abs g.Analytic)))
    Assert.Equal(0, report.SkippedAtKinks)
    // An output 1e-4 from MAE's corner at its target: the output layer's bias stencil and others straddle it.
    let output = network.Layers[1] :?> Dense
    let probe = [| 0.5; -0.5 |]
    network.Forward(ReadOnlySpan probe, 1).Length |> ignore
    let atTarget = [| network.Layers[1].Outputs[0] + 1e-4 |]
    let kinked = GradientCheck.Run(network, MeanAbsoluteError(), [| 0.5; -0.5 |], atTarget, 1)
    Assert.True(kinked.SkippedAtKinks > 0)
    Assert.True(kinked.Passed)
    ignore output
    // A tolerance equal to the worst error passes; anything below fails.
    let worst = report.Groups |> Seq.map _.MaxError |> Seq.max
    Assert.True((GradientCheckReport(report.Groups, worst, 0)).Passed)
    Assert.False((GradientCheckReport(report.Groups, worst / 2.0, 0)).Passed || worst = 0.0)

[<Fact>]
let ``a network trained on raw inputs, whose cost has large higher derivatives, passes: the stencil's truncation is extrapolated away`` () =
    // Unstandardized iris (features up to 7.9) after 1000 epochs: the plain 5-point stencil's h⁴ truncation error reached 4.9e-6
    // on the inputs' derivatives here, above the 1e-6 tolerance, on correct gradients; with the Richardson step the worst is 4.3e-8.
    let struct (data, _) = Engine.Data.Split.Stratified(Engine.Data.CsvReader.ReadFile(IO.Path.Combine(RepositoryRoot.path, "data", "iris.csv")), 0.2, 1)
    let network = Network.Dense([| 4; 8; 3 |], Tanh(), Softmax())
    network.Initialize(WeightInitialization.Glorot, 1)
    let loss = SparseCategoricalCrossEntropy()
    Engine.Training.Trainer.Train(network, loss, data, Engine.Training.TrainingOptions(LearningRate = 0.1, BatchSize = 16, Epochs = 1000, Seed = 1)) |> ignore
    let report = GradientCheck.Run(network, loss, Array.copy data.Features, Array.copy data.Targets, data.Count)
    let worst = report.Groups |> Seq.maxBy _.MaxError
    Assert.True(report.Passed, sprintf "%s at %s: %g (analytic %.17g, numerical %.17g)" worst.Group worst.WorstAt worst.MaxError worst.Analytic worst.Numerical)

[<Fact>]
let ``random targets draw both signs for the margin losses and one-hot rows of every class for categorical cross-entropy`` () =
    let hinge = Engine.Verification.RandomTargets.Draw(Hinge(), 3, 100, Random 7)
    Assert.All(hinge, fun t -> Assert.True((t = 1.0 || t = -1.0), sprintf "a margin target of %g" t))
    Assert.Contains(1.0, hinge)
    Assert.Contains(-1.0, hinge)
    let rows = Engine.Verification.RandomTargets.Draw(CategoricalCrossEntropy(), 3, 100, Random 7) |> Array.chunkBySize 3
    Assert.All(rows, fun row -> Assert.Equal(1.0, Array.sum row); Assert.Equal(2, row |> Array.filter ((=) 0.0) |> Array.length))
    Assert.Equal(3, rows |> Array.map (Array.findIndex ((=) 1.0)) |> Array.distinct |> Array.length)
    Assert.Equal("loss", Assert.Throws<ArgumentNullException>(fun () -> Engine.Verification.RandomTargets.Family(Unchecked.defaultof<Loss>, 3, Random 7) |> ignore).ParamName)
    Assert.Equal("random", Assert.Throws<ArgumentNullException>(fun () -> Engine.Verification.RandomTargets.Family(Hinge(), 3, Unchecked.defaultof<Random>) |> ignore).ParamName)
