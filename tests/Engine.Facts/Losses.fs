/// Losses: classification rules, reductions, target checks, compatibility with the output activation, the clamped logarithm.
module Facts.Losses

open System
open Xunit
open Engine
open Engine.Activations
open Engine.Data
open Engine.Losses
open Engine.Networks
open Engine.Training
open Facts.Support

[<Fact>]
let ``losses: classification rules, reductions and target checks`` () =
    let correct (loss: Loss) (a: float[]) (y: float[]) = loss.IsCorrect(ReadOnlySpan a, ReadOnlySpan y)
    Assert.True(correct (BinaryCrossEntropy()) [| 0.5; 0.2 |] [| 1.0; 0.0 |])
    Assert.False(correct (BinaryCrossEntropy()) [| 0.49; 0.2 |] [| 1.0; 0.0 |])
    Assert.False(correct (BinaryCrossEntropy()) [| 0.9; 0.5 |] [| 1.0; 0.0 |])
    Assert.True(correct (CategoricalCrossEntropy()) [| 0.2; 0.5; 0.3 |] [| 0.0; 1.0; 0.0 |])
    Assert.True(correct (CategoricalCrossEntropy()) [| 0.4; 0.4; 0.2 |] [| 1.0; 0.0; 0.0 |])
    Assert.False(correct (SparseCategoricalCrossEntropy()) [| 0.4; 0.4; 0.2 |] [| 1.0 |])
    Assert.True(correct (Hinge()) [| 0.0; -0.1 |] [| 1.0; -1.0 |])
    Assert.False(correct (PerceptronLoss()) [| 0.0 |] [| -1.0 |])
    Assert.False(MeanSquaredError().HasAccuracy)
    Assert.Throws<NotSupportedException>(fun () -> correct (MeanSquaredError()) [| 1.0 |] [| 1.0 |] |> ignore) |> ignore
    let value (loss: Loss) (a: float[]) (y: float[]) = loss.Value(ReadOnlySpan a, ReadOnlySpan y)
    Assert.Equal(2.5, value (MeanSquaredError()) [| 1.0; 3.0 |] [| 0.0; 1.0 |])
    Assert.Equal(2.5, value (MeanSquaredError(SquaredErrorScale.HalfSum)) [| 1.0; 3.0 |] [| 0.0; 1.0 |])
    Assert.Equal(5.0, value (MeanSquaredError(SquaredErrorScale.Sum)) [| 1.0; 3.0 |] [| 0.0; 1.0 |])
    Assert.Equal(1.5, value (MeanAbsoluteError()) [| 1.0; 3.0 |] [| 0.0; 1.0 |])
    Assert.Equal((0.125 + 1.5) / 2.0, value (Huber()) [| 0.5; 3.0 |] [| 0.0; 1.0 |])
    Assert.Equal((0.125 + 2.0 * (3.0 - 1.0)) / 2.0, value (Huber 2.0) [| 0.5; 3.0 |] [| 0.0; 0.0 |])
    Assert.Equal(1.75, value (Hinge()) [| 0.5; 2.0 |] [| 1.0; -1.0 |])
    Assert.Equal(1.5, value (Hinge()) [| 0.5; 1.5 |] [| 1.0; -1.0 |])
    throwsFor "delta" [ "positive"; "finite" ] (fun () -> Huber 0.0)
    throwsFor "delta" [ "positive"; "finite" ] (fun () -> Huber infinity)
    let validate (loss: Loss) (y: float[]) outputs = loss.ValidateTarget(ReadOnlySpan y, outputs, 7)
    throwsFor "targets" [ "targets[7, 1]"; "[0, 1]"; "bce"; "1.5" ] (fun () -> validate (BinaryCrossEntropy()) [| 0.0; 1.5 |] 2)
    throwsFor "targets" [ "row 7"; "sum to 1" ] (fun () -> validate (CategoricalCrossEntropy()) [| 0.5; 0.4 |] 2)
    throwsFor "targets" [ "targets[7]"; "[0, 2]" ] (fun () -> validate (SparseCategoricalCrossEntropy()) [| 3.0 |] 3)
    throwsFor "targets" [ "targets[7]"; "integer" ] (fun () -> validate (SparseCategoricalCrossEntropy()) [| 0.5 |] 3)
    throwsFor "targets" [ "targets[7, 0]"; "−1 or +1"; "hinge" ] (fun () -> validate (Hinge()) [| 0.0 |] 1)
    validate (CategoricalCrossEntropy()) [| 0.25; 0.75 |] 2
    Assert.Equal("mse", MeanSquaredError().ToString())
    Assert.Equal(infinity, MeanSquaredError().KinkOffset(1.0, 2.0))
    Assert.Equal(-0.5, Huber().KinkOffset(1.5, 1.0))
    Assert.Equal(-2.0, Hinge().KinkOffset(-1.0, 1.0))

[<Fact>]
let ``categorical targets must each lie in [0, 1] even when they sum to 1; the sparse gradient clears the other classes`` () =
    throwsFor "targets" [ "targets[0, 0]"; "[0, 1]" ] (fun () -> CategoricalCrossEntropy().ValidateTarget(ReadOnlySpan [| 1.5; -0.5 |], 2, 0))
    let gradient = [| nan; nan; nan |]
    SparseCategoricalCrossEntropy().Gradient(ReadOnlySpan [| 0.2; 0.5; 0.3 |], ReadOnlySpan [| 1.0 |], Span gradient)
    Assert.Equal<float[]>([| 0.0; -2.0; 0.0 |], gradient)

[<Fact>]
let ``margin targets are −1 or +1; a binary target of 0.5 counts as class 1; hinge reports an accuracy`` () =
    let hinge = Registry<Loss>.Builtin.Get "hinge"
    hinge.ValidateTarget(ReadOnlySpan [| 1.0; -1.0 |], 2, 0)
    throwsFor "targets" [ "targets[3, 1]"; "−1 or +1" ] (fun () -> hinge.ValidateTarget(ReadOnlySpan [| -1.0; 0.5 |], 2, 3); 0)
    let bce = BinaryCrossEntropy()
    Assert.True(bce.IsCorrect(ReadOnlySpan [| 0.7 |], ReadOnlySpan [| 0.5 |]))
    Assert.False(bce.IsCorrect(ReadOnlySpan [| 0.3 |], ReadOnlySpan [| 0.5 |]))
    let network = Network.Dense([| 1; 1 |], Relu(), Identity())
    let struct (_, accuracy) = Evaluation.Evaluate(network, hinge, Dataset([| 1.0; -1.0 |], 1, [| 1.0; -1.0 |], 1))
    Assert.True(accuracy.HasValue)

[<Fact>]
let ``a loss paired with an output activation it cannot follow is rejected, naming both`` () =
    let pairs = [ "bce", "softmax"; "cce", "sigmoid"; "sparse-cce", "identity"; "bce", "identity"; "cce", "tanh" ]
    for lossName, activationName in pairs do
        let network = Network.Dense([| 2; 3 |], Tanh(), Registry<Activation>.Builtin.Get activationName)
        let loss = Registry<Loss>.Builtin.Get lossName
        let targets = Array.create (loss.TargetWidth 3) 0.0
        targets[0] <- 1.0
        let inputs = [| 1.0; 2.0 |]
        let error = Assert.Throws<ArgumentException>(fun () -> network.ComputeGradients(inputs, targets, 1, loss) |> ignore)
        Assert.Equal("loss", error.ParamName)
        Assert.Contains(lossName, error.Message)
        Assert.Contains(activationName, error.Message)

[<Fact>]
let ``binary and categorical cross-entropy stay finite at probabilities of exactly 0 and 1 (log clamped at −100)`` () =
    let value (loss: Loss) (a: float[]) (y: float[]) =
        let g = Array.zeroCreate a.Length
        loss.Gradient(ReadOnlySpan a, ReadOnlySpan y, Span g)
        loss.Value(ReadOnlySpan a, ReadOnlySpan y), g
    let v, g = value (BinaryCrossEntropy()) [| 0.0; 1.0; 0.0; 1.0 |] [| 1.0; 0.0; 0.0; 1.0 |]
    Assert.Equal(50.0, v) // (100 + 100 + 0 + 0) / 4
    Assert.All(g, fun x -> Assert.True(Double.IsFinite x))
    let v, g = value (CategoricalCrossEntropy()) [| 0.0; 1.0 |] [| 1.0; 0.0 |]
    Assert.Equal(100.0, v)
    Assert.All(g, fun x -> Assert.True(Double.IsFinite x))
    let v, g = value (SparseCategoricalCrossEntropy()) [| 0.0; 1.0 |] [| 0.0 |]
    Assert.Equal(100.0, v)
    Assert.All(g, fun x -> Assert.True(Double.IsFinite x))

[<Fact>]
let ``each classification loss encodes a class as its targets and predicts it back, and refuses labels and widths that do not fit`` () =
    let encode (loss: Loss) label classes outputWidth =
        let target = Array.zeroCreate (loss.TargetWidth outputWidth)
        loss.EncodeClass(label, classes, outputWidth, Span target)
        target
    // One-hot rows (0 and 1; −1 for "no" with the margin losses), one output for two classes, the label itself for sparse CCE.
    Assert.Equal<float[]>([| 0.0; 0.0; 1.0 |], encode (CategoricalCrossEntropy()) 2 3 3)
    Assert.Equal<float[]>([| 1.0; 0.0 |], encode (BinaryCrossEntropy()) 0 2 2)
    Assert.Equal<float[]>([| 1.0 |], encode (BinaryCrossEntropy()) 1 2 1)
    Assert.Equal<float[]>([| 0.0 |], encode (BinaryCrossEntropy()) 0 2 1)
    Assert.Equal<float[]>([| -1.0; 1.0; -1.0 |], encode (Hinge()) 1 3 3)
    Assert.Equal<float[]>([| -1.0 |], encode (PerceptronLoss()) 0 2 1)
    Assert.Equal<float[]>([| 1.0 |], encode (PerceptronLoss()) 1 2 1)
    Assert.Equal<float[]>([| 2.0 |], encode (SparseCategoricalCrossEntropy()) 2 3 3)
    // One output: the midpoint between "no" and "yes" (0.5; 0 for the margin losses) and above is class 1; several: the largest.
    let predict (loss: Loss) (output: float[]) = loss.PredictClass(ReadOnlySpan output)
    Assert.Equal(1, predict (BinaryCrossEntropy()) [| 0.5 |])
    Assert.Equal(0, predict (BinaryCrossEntropy()) [| 0.49 |])
    Assert.Equal(1, predict (Hinge()) [| 0.0 |])
    Assert.Equal(0, predict (Hinge()) [| -0.01 |])
    Assert.Equal(1, predict (PerceptronLoss()) [| 0.4 |])
    Assert.Equal(2, predict (CategoricalCrossEntropy()) [| 0.1; 0.3; 0.6 |])
    Assert.True(BinaryCrossEntropy().HasAccuracy)
    throwsFor "classes" [ "at least 2"; "1" ] (fun () -> encode (CategoricalCrossEntropy()) 0 1 1)
    throwsFor "label" [ "[0, 2]"; "3" ] (fun () -> encode (CategoricalCrossEntropy()) 3 3 3)
    throwsFor "label" [ "[0, 2]"; "-1" ] (fun () -> encode (CategoricalCrossEntropy()) -1 3 3)
    throwsFor "outputWidth" [ "3 classes need 3 outputs,"; "has 1" ] (fun () -> encode (CategoricalCrossEntropy()) 0 3 1)
    throwsFor "outputWidth" [ "2 classes need 2 outputs or 1"; "has 3" ] (fun () -> encode (BinaryCrossEntropy()) 0 2 3)
    throwsFor "target" [ "3 values"; "has 2" ] (fun () ->
        let target = Array.zeroCreate 2
        CategoricalCrossEntropy().EncodeClass(0, 3, 3, Span target)
        target)

[<Fact>]
let ``the margin losses' kink lies where target times output reaches the margin, and the squared error's scale must be defined`` () =
    // Hinge's margin is 1, the perceptron's 0: the offset t·a − margin is 0 on the kink.
    Assert.Equal(-0.5, Hinge().KinkOffset(0.5, 1.0))
    Assert.Equal(-1.5, Hinge().KinkOffset(0.5, -1.0))
    Assert.Equal(-2.0, PerceptronLoss().KinkOffset(-2.0, 1.0))
    throwsFor "scale" [ "defined" ] (fun () -> MeanSquaredError(enum<SquaredErrorScale> 7))
