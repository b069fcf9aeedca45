/// docs/walkthroughs.md §2 (seed 002): IQ and CGPA predict LPA with a 2 → 2 → 1 linear network, W = 1, b = 0, L = (y − ŷ)².
module Seed002IqRegression

open Xunit
open Engine.Activations
open Engine.Data
open Engine.Losses
open Engine.Networks
open Engine.Training

/// (iq, cgpa) → lpa.
let private data = Dataset([| 80.0; 8.0; 60.0; 9.0; 70.0; 5.0 |], 2, [| 3.0; 5.0; 8.0 |], 1)
let private loss = MeanSquaredError(SquaredErrorScale.Sum)

let private network () =
    let hidden = Dense(2, 2, Identity())
    hidden.SetParameters([| [| 1.0; 1.0 |]; [| 1.0; 1.0 |] |], [| 0.0; 0.0 |])
    let output = Dense(2, 1, Identity())
    output.SetParameters([| [| 1.0; 1.0 |] |], [| 0.0 |])
    Network([ hidden :> Layer; output ]), hidden, output

[<Fact>]
let ``for the first row O11 = O12 = 88, yhat = 176 and L = 29929`` () =
    let net, hidden, output = network ()
    let cost = net.ComputeGradients(data.FeatureRow(0), data.TargetRow(0), 1, loss)
    Assert.Equal<float[]>([| 88.0; 88.0 |], hidden.Outputs.ToArray())
    Assert.Equal(176.0, output.Outputs[0])
    Assert.Equal(29929.0, cost)

[<Fact>]
let ``the nine derivatives are 346·88 = 30448, 346, 346·80 = 27680, 346·8 = 2768 and 346, exactly`` () =
    let net, hidden, output = network ()
    net.ComputeGradients(data.FeatureRow(0), data.TargetRow(0), 1, loss) |> ignore
    // dL/dyhat = −2(y − yhat) = 346.
    Assert.Equal(346.0, output.Deltas[0])
    // dL/dw11², dL/dw21² (the notes' w_ij^k is W^k[j][i]) and dL/db21.
    Assert.Equal<float[]>([| 30448.0; 30448.0 |], output.WeightGradient)
    Assert.Equal<float[]>([| 346.0 |], output.BiasGradient)
    // dL/dw11¹ = dL/dw12¹ = 27680 (from iq = 80) and dL/dw21¹ = dL/dw22¹ = 2768 (from cgpa = 8); row j is neuron j.
    Assert.Equal<float[]>([| 27680.0; 2768.0; 27680.0; 2768.0 |], hidden.WeightGradient)
    Assert.Equal<float[]>([| 346.0; 346.0 |], hidden.BiasGradient)

[<Fact>]
let ``on the raw data, gradient descent at learning rate 0.01 diverges, and training says so instead of leaving NaN weights`` () =
    let net, _, _ = network ()
    let options = TrainingOptions(LearningRate = 0.01, BatchSize = 1, Epochs = 100, Seed = 2)
    let error = Assert.Throws<TrainingDivergedException>(fun () -> Trainer.Train(net, loss, data, options) |> ignore)
    Assert.Contains("diverged at epoch", error.Message)
    for parameter in net.Parameters do
        Assert.All(parameter.Values, fun v -> Assert.True(System.Double.IsFinite v, sprintf "%s holds %g" parameter.Name v))

[<Fact>]
let ``standardized, (x − mean)/std, the same data trains with a falling loss`` () =
    let net, _, _ = network ()
    let standardized = Standardizer.Fit(data).Transform(data)
    let options = TrainingOptions(LearningRate = 0.01, BatchSize = 3, Epochs = 50)
    let losses = Trainer.Train(net, loss, standardized, options) |> Seq.map _.Loss |> Array.ofSeq
    printfn "loss by epoch: %s" (losses |> Array.map (sprintf "%.4g") |> String.concat " ")
    Assert.All(Array.pairwise losses, fun (before, after) -> Assert.True(after < before, sprintf "%g then %g" before after))
