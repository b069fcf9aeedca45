/// docs/walkthroughs.md §6 (seed 000). Seed 000's claim, "if we have a deep model till we reach the 1st layer the changes in wts will be negligible", on the
/// embedded digits: ‖∂C/∂bˡ‖ over the training set for each layer of 64 → 30 → 30 → 30 → 30 → 10 networks at the fixed seed
/// (the setup `nn walkthrough --example vanishing` prints).
module Seed000VanishingGradients

open System
open Xunit
open Xunit.Abstractions
open Engine.Activations
open Engine.Data
open Engine.Losses
open Engine.Networks
open Engine.Training
open Notes

let private widths = [| 64; 30; 30; 30; 30; 10 |]
let private seed = 1
let private loss = SparseCategoricalCrossEntropy()

/// The walkthrough's data: a stratified 80/20 split at seed 1, standardized on the training part.
let private train, private test =
    let struct (train, test) = Split.Stratified(digits (), 0.2, seed)
    let scaler = Standardizer.Fit train
    scaler.Transform train, scaler.Transform test

let private network (hidden: Activation) (weights: WeightInitialization) =
    let net = Network.Dense(widths, hidden, Softmax())
    net.Initialize(weights, seed)
    net

/// ‖∂C/∂bˡ‖₂ for every layer, C the cost over the whole training set (BP3: ∂C/∂bˡ = δˡ averaged over the samples).
let private biasGradientNorms (net: Network) =
    net.ComputeGradients(ReadOnlySpan train.Features, ReadOnlySpan train.Targets, train.Count, loss) |> ignore
    net.Layers |> Seq.map (fun l -> sqrt (Array.sumBy (fun g -> g * g) (l :?> Dense).BiasGradient)) |> Array.ofSeq

type VanishingGradients(output: ITestOutputHelper) =
    let show name (norms: float[]) =
        output.WriteLine(sprintf "%-26s %s   first/last %.3g" name (String.Join("  ", norms |> Array.map (sprintf "%.3e"))) (norms[0] / norms[norms.Length - 1]))
        norms

    [<Fact>]
    member _.``sigmoid with weights N(0, 1): ‖∂C/∂bˡ‖ grows from layer to layer, and layer 1's is over 10 times smaller than the output's`` () =
        let norms = biasGradientNorms (network (Sigmoid()) WeightInitialization.Normal) |> show "sigmoid, N(0, 1)"
        for l in 1 .. norms.Length - 1 do
            Assert.True(norms[l - 1] < norms[l], sprintf "layer %d: %g is not below layer %d: %g" l norms[l - 1] (l + 1) norms[l])
        Assert.True(norms[norms.Length - 1] / norms[0] >= 10.0)

    [<Fact>]
    member _.``sigmoid with Glorot weights: layer 1's ‖∂C/∂b‖ is over 100 times smaller than the output's, and 30 epochs teach the network nothing`` () =
        let net = network (Sigmoid()) WeightInitialization.Glorot
        let norms = biasGradientNorms net |> show "sigmoid, Glorot"
        // Glorot's weights keep ‖Wᵀδ‖ near ‖δ‖, so what shrinks the error is σ'(z), about ¼ near z = 0, at each of the four
        // sigmoid layers: a factor of the order of 4⁴ = 256 in all. The assertion asks for 100.
        Assert.True(norms[norms.Length - 1] / norms[0] >= 100.0)
        Trainer.Train(net, loss, train, TrainingOptions(LearningRate = 0.1, BatchSize = 32, Epochs = 30, Seed = seed)) |> ignore
        let struct (_, accuracy) = Evaluation.Evaluate(net, loss, test)
        output.WriteLine(sprintf "test accuracy after 30 epochs: %.4f" accuracy.Value)
        // Chance on ten balanced classes is 0.1.
        Assert.True(accuracy.Value < 0.2)

    [<Fact>]
    member _.``ReLU with He weights: every layer's ‖∂C/∂b‖ is within a factor of 10 of the output's, and 30 epochs reach 0.95 test accuracy`` () =
        let net = network (Relu()) WeightInitialization.He
        let norms = biasGradientNorms net |> show "ReLU, He"
        let last = norms[norms.Length - 1]
        Assert.All(norms, fun n -> Assert.True(n / last >= 0.1 && n / last <= 10.0, sprintf "%g against %g" n last))
        Trainer.Train(net, loss, train, TrainingOptions(LearningRate = 0.1, BatchSize = 32, Epochs = 30, Seed = seed)) |> ignore
        let struct (_, accuracy) = Evaluation.Evaluate(net, loss, test)
        output.WriteLine(sprintf "test accuracy after 30 epochs: %.4f" accuracy.Value)
        Assert.True(accuracy.Value >= 0.95)
