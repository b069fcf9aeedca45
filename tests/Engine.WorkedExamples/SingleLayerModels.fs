/// docs/walkthroughs.md §4: the notes' table of single-layer models (seed 002), and their MNIST-shaped network scaled to 8×8 digits, trained on real data:
/// a stratified 80/20 split with a fixed seed, standardization fitted on the training part.
module SingleLayerModels

open System
open Xunit
open Xunit.Abstractions
open MathNet.Numerics.LinearAlgebra
open Engine
open Engine.Activations
open Engine.Data
open Engine.Losses
open Engine.Networks
open Engine.Training
open Notes

let private prepare (data: Dataset) =
    let struct (train, test) = Split.Stratified(data, 0.2, 42)
    let scaler = Standardizer.Fit train
    scaler.Transform train, scaler.Transform test

let private accuracy (net: Network) (loss: Loss) (data: Dataset) =
    let struct (_, accuracy) = Evaluation.Evaluate(net, loss, data)
    accuracy.Value

type Models(output: ITestOutputHelper) =
    let report name (value: float) = output.WriteLine(sprintf "%s: test accuracy %.4f" name value)

    [<Fact>]
    member _.``step + perceptron trick = the perceptron: breast cancer test accuracy of at least 0.93`` () =
        let train, test = prepare (breastCancer ())
        let neuron = Dense(30, 1, Step())
        PerceptronTrick.Train(neuron, train, 0.1, 50, 1) |> ignore
        let correct = Seq.sum (seq { for i in 0 .. test.Count - 1 -> if neuron.Forward(test.FeatureRow i, 1)[0] = test.Targets[i] then 1 else 0 })
        let value = float correct / float test.Count
        report "perceptron" value
        Assert.True(value >= 0.93)

    [<Fact>]
    member _.``sigmoid + binary cross-entropy = logistic regression: breast cancer test accuracy of at least 0.96`` () =
        let train, test = prepare (breastCancer ())
        let net = Network([ Dense(30, 1, Sigmoid()) :> Layer ])
        let loss = BinaryCrossEntropy()
        Trainer.Train(net, loss, train, TrainingOptions(LearningRate = 0.1, BatchSize = 16, Epochs = 50, Seed = 1)) |> ignore
        let value = accuracy net loss test
        report "logistic regression" value
        Assert.True(value >= 0.96)

    [<Theory>]
    [<InlineData("cce")>]
    [<InlineData("sparse-cce")>]
    member _.``softmax + categorical cross-entropy = softmax regression: iris test accuracy of at least 0.93`` (lossName: string) =
        let train, test = prepare (iris ())
        let loss = Registry<Loss>.Builtin.Get lossName
        let encode (d: Dataset) = if loss.TargetWidth 3 = 3 then d.OneHot 3 else d
        let net = Network([ Dense(4, 3, Softmax()) :> Layer ])
        Trainer.Train(net, loss, encode train, TrainingOptions(LearningRate = 0.1, BatchSize = 8, Epochs = 100, Seed = 1)) |> ignore
        let value = accuracy net loss (encode test)
        report lossName value
        Assert.True(value >= 0.93)

    [<Fact>]
    member _.``identity + MSE = linear regression: gradient descent recovers MathNet's least-squares coefficients to 1e-6`` () =
        let random = Random 3
        let n, d = 200, 3
        let x = Array.init (n * d) (fun _ -> random.NextDouble() * 2.0 - 1.0)
        let y = Array.init n (fun i -> 1.5 * x[i * d] - 2.0 * x[i * d + 1] + 0.5 * x[i * d + 2] + 0.3 + 0.1 * (random.NextDouble() - 0.5))
        // Least squares with an intercept column, by QR.
        let design = Matrix<float>.Build.Dense(n, d + 1, fun i j -> if j = d then 1.0 else x[i * d + j])
        let solution = design.QR().Solve(Vector<float>.Build.DenseOfArray y)
        let layer = Dense(d, 1, Identity())
        let net = Network([ layer :> Layer ])
        Trainer.Train(net, MeanSquaredError(), Dataset(x, d, y, 1), TrainingOptions(LearningRate = 0.5, BatchSize = n, Epochs = 3000, Shuffle = false)) |> ignore
        let found = Array.append layer.Weights layer.Biases
        output.WriteLine(sprintf "gradient descent %A, least squares %A" found (solution.ToArray()))
        Array.iteri2 (fun j (w: float) (s: float) -> Assert.True(abs (w - s) <= 1e-6, sprintf "coefficient %d: %.9f vs %.9f" j w s)) found (solution.ToArray())

    [<Fact>]
    member _.``the notes' network scaled to digits, [64, 16, 16, 10] sigmoid + softmax with mini-batch SGD: test accuracy of at least 0.95`` () =
        let train, test = prepare (digits ())
        let net = Network.Dense([| 64; 16; 16; 10 |], Sigmoid(), Softmax())
        net.Initialize(WeightInitialization.Glorot, 1)
        let loss = SparseCategoricalCrossEntropy()
        Trainer.Train(net, loss, train, TrainingOptions(LearningRate = 0.5, BatchSize = 32, Epochs = 60, Seed = 1)) |> ignore
        let value = accuracy net loss test
        report "digits" value
        Assert.True(value >= 0.95)
