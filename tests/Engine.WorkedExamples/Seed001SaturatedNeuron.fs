/// docs/walkthroughs.md §7 (seed 001). Seed 001's reading of BP1, "weight in the final layer will learn slowly if the output neuron ... is saturated", and seed 000's
/// Step 1, where the cross-entropy cost cancels σ'(zᴸ) and leaves δᴸ = a − y: one sigmoid neuron, input 1, target 0, gradient
/// descent at η = 0.15 from a saturated (w = b = 2) and an unsaturated (w = 0.6, b = 0.9) start (the setup
/// `nn walkthrough --example saturation` prints). The costs are computed again here from the closed-form derivatives.
module Seed001SaturatedNeuron

open System
open Xunit
open Xunit.Abstractions
open Engine.Activations
open Engine.Data
open Engine.Losses
open Engine.Networks
open Engine.Training

let private eta = 0.15

type private Cost =
    | Quadratic
    | CrossEntropy

/// C(a) for the target y = 0: ½a² and −ln(1 − a).
let private cost kind (a: float) =
    match kind with
    | Quadratic -> 0.5 * a * a
    | CrossEntropy -> -log (1.0 - a)

/// N steps of w ← w − η·∂C/∂w, b ← b − η·∂C/∂b with x = 1, y = 0 and δ = ∂C/∂z in closed form: (a − y)·a(1 − a) for the
/// quadratic cost (BP1), a − y for the cross-entropy (Step 1). Returns C after the last step.
let private closedForm kind (w0: float) (b0: float) (steps: int) =
    let sigmoid z = 1.0 / (1.0 + exp -z)
    let mutable w, b = w0, b0
    for _ in 1 .. steps do
        let a = sigmoid (w + b)
        let delta = match kind with Quadratic -> a * a * (1.0 - a) | CrossEntropy -> a
        w <- w - eta * delta
        b <- b - eta * delta
    cost kind (sigmoid (w + b))

/// The engine: a Dense(1, 1, sigmoid) trained by Trainer.Train on the one sample, then its cost.
let private engine kind (w: float) (b: float) (steps: int) =
    let neuron = Dense(1, 1, Sigmoid())
    neuron.SetParameters([| [| w |] |], [| b |])
    let network = Network([ neuron :> Layer ])
    let loss: Loss = match kind with Quadratic -> MeanSquaredError(SquaredErrorScale.HalfSum) | CrossEntropy -> BinaryCrossEntropy()
    Trainer.Train(network, loss, Dataset([| 1.0 |], 1, [| 0.0 |], 1), TrainingOptions(LearningRate = eta, BatchSize = 1, Epochs = steps)) |> ignore
    network.Cost(ReadOnlySpan [| 1.0 |], ReadOnlySpan [| 0.0 |], 1, loss)

let private starts = [ "saturated", 2.0, 2.0; "unsaturated", 0.6, 0.9 ]

type SaturatedNeuron(output: ITestOutputHelper) =
    [<Fact>]
    member _.``the engine's costs after 0 to 300 steps equal those of the closed-form derivatives to 1e-12`` () =
        let mutable worst = 0.0
        for name, w, b in starts do
            for kind in [ Quadratic; CrossEntropy ] do
                for steps in [ 0; 1; 10; 50; 100; 150; 200; 300 ] do
                    let expected, actual = closedForm kind w b steps, engine kind w b steps
                    worst <- max worst (abs (expected - actual))
                    // The two sides evaluate σ and the cost by different formulas (the engine's sigmoid through e^(−|z|), its
                    // cross-entropy from the logit), each a few ulp apart; 300 steps of a map whose slope stays near 1 keep that
                    // far below 1e-12.
                    Assert.True(abs (expected - actual) <= 1e-12, sprintf "%s %A after %d steps: closed form %.17g, engine %.17g" name kind steps expected actual)
        output.WriteLine(sprintf "largest difference: %.2e" worst)

    [<Fact>]
    member _.``started saturated, the quadratic cost is still above 0.45 after 50 steps while the cross-entropy is below it`` () =
        let quadratic, entropy = engine Quadratic 2.0 2.0 50, engine CrossEntropy 2.0 2.0 50
        output.WriteLine(sprintf "after 50 steps: quadratic %.6f (from %.6f), cross-entropy %.6f (from %.6f)" quadratic (engine Quadratic 2.0 2.0 0) entropy (engine CrossEntropy 2.0 2.0 0))
        // z = 4: σ'(z) = 0.0177, under a tenth of its peak ¼; the quadratic cost's δ carries that factor, the cross-entropy's does not.
        Assert.True(quadratic > 0.45)
        Assert.True(entropy < 0.45)
        // The quadratic cost started at ½σ(4)² = 0.482 and lost under 2 % of it; the cross-entropy started at 4.02 and lost over 95 %.
        Assert.True(quadratic / engine Quadratic 2.0 2.0 0 > 0.98)
        Assert.True(entropy / engine CrossEntropy 2.0 2.0 0 < 0.05)

    [<Fact>]
    member _.``started unsaturated, both costs fall by more than three quarters in 50 steps`` () =
        for kind in [ Quadratic; CrossEntropy ] do
            let start, after = engine kind 0.6 0.9 0, engine kind 0.6 0.9 50
            output.WriteLine(sprintf "%A: %.6f after 50 steps, from %.6f" kind after start)
            Assert.True(after / start < 0.25)
