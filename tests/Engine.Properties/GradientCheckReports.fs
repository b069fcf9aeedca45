/// The public GradientCheck (behind `nn gradcheck`): what it reports for right and wrong derivatives, NaN and kinks.
module GradientCheckReports

open System
open Xunit
open Engine.Activations
open Engine.Losses
open Engine.Networks
open Engine.Verification

let private inputs, targets = [| 0.1; -0.5; 0.9; 0.3; 0.2; -0.7 |], [| 1.0; 0.0; 0.0; 1.0 |]

/// Sigmoid whose derivative is NaN: a broken backward pass must show as an infinite error, never as NaN.
[<Struct>]
type NaNDerivativeFunction =
    interface IScalarFunction with
        member _.Value(z: float) = 1.0 / (1.0 + exp -z)
        member _.Derivative(_: float, _: float) = nan

type NaNDerivativeSigmoid() =
    inherit ElementwiseActivation<NaNDerivativeFunction>(NaNDerivativeFunction())
    override _.Name = "sigmoid"

[<Fact>]
let ``a wrong derivative fails, the right one passes, and values are named by row and column`` () =
    let network = Network([ Dense(3, 4, Completeness.SlightlyWrongSigmoid()) :> Layer; Dense(4, 2, Identity()) ])
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
    let network = Network([ Dense(3, 4, NaNDerivativeSigmoid()) :> Layer; Dense(4, 2, Identity()) ])
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
