/// Facts about SGD's bookkeeping (arguments, hold-out, early stopping, where it diverged) and the perceptron trick's edges.
module TrainingFacts

open System
open Xunit
open Engine.Activations
open Engine.Data
open Engine.Losses
open Engine.Networks
open Engine.Training

let private values (network: Network) = network.Parameters |> Seq.collect _.Values |> Array.ofSeq

/// y = x on n points in (0, 1].
let private line n = let xs = Array.init n (fun i -> float (i + 1) / float n) in Dataset(xs, 1, Array.copy xs, 1)

let private fresh () =
    let network = Network.Dense([| 1; 1 |], Relu(), Identity())
    network.Initialize(WeightInitialization.Glorot, 3)
    network

[<Fact>]
let ``SGD refuses null arguments by name`` () =
    let data, loss, options = line 4, MeanSquaredError(), SgdOptions()
    let cases : (string * (unit -> obj)) list =
        [ "network", (fun () -> Sgd.Train(Unchecked.defaultof<Network>, loss, data, options))
          "loss", (fun () -> Sgd.Train(fresh (), Unchecked.defaultof<Loss>, data, options))
          "options", (fun () -> Sgd.Train(fresh (), loss, data, Unchecked.defaultof<SgdOptions>))
          "data", (fun () -> Sgd.Train(fresh (), loss, Unchecked.defaultof<Dataset>, options)) ]
    for name, action in cases do
        Assert.Equal(name, (Assert.Throws<ArgumentNullException>(fun () -> action () |> ignore)).ParamName)

[<Fact>]
let ``divergence names the batch where the loss overflowed`` () =
    let data = Dataset([| 0.1; 0.2; 1e300; 0.3 |], 1, [| 0.0; 0.0; 0.0; 0.0 |], 1)
    let error = Assert.Throws<TrainingDivergedException>(fun () ->
        Sgd.Train(fresh (), MeanSquaredError(), data, SgdOptions(BatchSize = 1, Shuffle = false, Epochs = 1)) |> ignore)
    Assert.Equal((1, 3), (error.Epoch, error.Batch))
    Assert.Contains("batch 3: the loss is", error.Message)

[<Fact>]
let ``the validation part is round(fraction·count) samples drawn by the seed, and must leave some to train on`` () =
    Validation.throwsFor "data" "ValidationFraction 0.95 of 10 samples leaves none to train on" (fun () ->
        Sgd.Train(fresh (), MeanSquaredError(), line 10, SgdOptions(ValidationFraction = 0.95)))
    let data = line 20
    let network = fresh ()
    let reports = Sgd.Train(network, MeanSquaredError(), data, SgdOptions(ValidationFraction = 0.25, Epochs = 1, Seed = 7))
    // The documented draw: the seed's generator first shuffles the sample indices; the first round(0.25·20) = 5 are held out.
    let order = Array.init 20 id
    Random(7).Shuffle(order)
    let struct (expected, _) = Evaluation.Evaluate(network, MeanSquaredError(), data.Select(order[..4]))
    Assert.Equal(expected, reports[0].ValidationLoss.Value)

[<Fact>]
let ``early stopping: an equal loss is no improvement, and training stops after exactly Patience such epochs`` () =
    // A learning rate of 1e-300 leaves every parameter unchanged, so every validation loss is the same.
    let options = SgdOptions(LearningRate = 1e-300, Epochs = 10, ValidationFraction = 0.25, Patience = 2, MinImprovement = 0.0)
    let reports = Sgd.Train(fresh (), MeanSquaredError(), line 20, options)
    Assert.Equal(3, reports.Count)

[<Fact>]
let ``early stopping: a gain below MinImprovement is no improvement, and the best epoch's parameters are restored`` () =
    let options = SgdOptions(LearningRate = 1e-3, Epochs = 10, ValidationFraction = 0.25, Patience = 2, MinImprovement = 1.0, Seed = 2)
    let stopped = fresh ()
    let reports = Sgd.Train(stopped, MeanSquaredError(), line 20, options)
    Assert.Equal(3, reports.Count)
    Assert.True(reports[2].ValidationLoss.Value < reports[0].ValidationLoss.Value, "the loss still fell, by less than MinImprovement")
    let firstEpoch = fresh ()
    Sgd.Train(firstEpoch, MeanSquaredError(), line 20, SgdOptions(LearningRate = 1e-3, Epochs = 1, ValidationFraction = 0.25, Patience = 2, MinImprovement = 1.0, Seed = 2)) |> ignore
    Assert.Equal<float[]>(values firstEpoch, values stopped)

[<Fact>]
let ``the perceptron may be given zero epochs, and its seed orders the samples`` () =
    let random = Random 5
    let points = Array.init 40 (fun _ -> random.NextDouble() * 2.0 - 1.0)
    let labels = Array.init 20 (fun i -> if points[2 * i] + points[2 * i + 1] > 0.1 then 1.0 else 0.0)
    let data = Dataset(points, 2, labels, 1)
    let none = PerceptronTrick.Train(Dense(2, 1, Step()), data, 1.0, 0, 0)
    Assert.Equal((0, 0, false), (none.Epochs, none.Updates, none.Converged))
    let trainWith seed =
        let neuron = Dense(2, 1, Step())
        PerceptronTrick.Train(neuron, data, 1.0, 1, seed) |> ignore
        Array.append neuron.Weights neuron.Biases
    Assert.NotEqual<float[]>(trainWith 1, trainWith 2)
