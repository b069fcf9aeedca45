/// docs/walkthroughs.md §4 (seed 002): the perceptron trick and the perceptron loss.
module Seed002Perceptron

open Xunit
open Engine.Activations
open Engine.Data
open Engine.Losses
open Engine.Networks
open Engine.Training

/// One neuron w = (1, −1), b = 0, shown the sample x = (2, 1) with label y for one epoch at η = 0.5.
let private afterOneSample (x0: float) (x1: float) (y: float) =
    let neuron = Dense(2, 1, Step())
    neuron.SetParameters([| [| 1.0; -1.0 |] |], [| 0.0 |])
    PerceptronTrick.Train(neuron, Dataset([| x0; x1 |], 2, [| y |], 1), 0.5, 1, 0) |> ignore
    Array.append neuron.Weights neuron.Biases

[<Fact>]
let ``(y, yhat) = (1, 1): no change`` () =
    // w·x + b = 2 − 1 = 1 ≥ 0, so yhat = 1.
    Assert.Equal<float[]>([| 1.0; -1.0; 0.0 |], afterOneSample 2.0 1.0 1.0)

[<Fact>]
let ``(y, yhat) = (0, 0): no change`` () =
    // w·x + b = 1 − 2 = −1 < 0, so yhat = 0.
    Assert.Equal<float[]>([| 1.0; -1.0; 0.0 |], afterOneSample 1.0 2.0 0.0)

[<Fact>]
let ``(y, yhat) = (1, 0): w + eta·x`` () =
    Assert.Equal<float[]>([| 1.0 + 0.5; -1.0 + 1.0; 0.0 + 0.5 |], afterOneSample 1.0 2.0 1.0)

[<Fact>]
let ``(y, yhat) = (0, 1): w − eta·x`` () =
    Assert.Equal<float[]>([| 1.0 - 1.0; -1.0 - 0.5; 0.0 - 0.5 |], afterOneSample 2.0 1.0 0.0)

[<Fact>]
let ``the perceptron trick on a linearly separable set ends with zero mistakes`` () =
    // Labels by the line x0 + 2·x1 > 1, keeping a margin of 0.1 around it.
    let random = System.Random 4
    let points =
        Seq.initInfinite (fun _ -> random.NextDouble() * 4.0 - 2.0, random.NextDouble() * 4.0 - 2.0)
        |> Seq.filter (fun (a, b) -> abs (a + 2.0 * b - 1.0) > 0.1)
        |> Seq.take 200 |> Array.ofSeq
    let data = Dataset(points |> Array.collect (fun (a, b) -> [| a; b |]), 2, points |> Array.map (fun (a, b) -> if a + 2.0 * b > 1.0 then 1.0 else 0.0), 1)
    let neuron = Dense(2, 1, Step())
    let result = PerceptronTrick.Train(neuron, data, 0.1, 1000, 7)
    Assert.True(result.Converged, sprintf "%A" result)
    for i in 0 .. data.Count - 1 do
        Assert.Equal(data.Targets[i], neuron.Forward(data.FeatureRow i, 1)[0])

[<Fact>]
let ``the perceptron loss max(0, −y·f) is 0 when y·f > 0 and −y·f when y·f < 0, with gradient −y there and 0 elsewhere`` () =
    let loss = PerceptronLoss()
    let gradient = [| nan |]
    let check (f: float) (y: float) value slope =
        let output, target = [| f |], [| y |]
        Assert.Equal(value, loss.Value(output, target))
        loss.Gradient(output, target, gradient)
        Assert.Equal(slope, gradient[0])
    check 2.0 1.0 0.0 0.0      // correct, no update
    check -2.0 -1.0 0.0 0.0    // correct, no update
    check -2.0 1.0 2.0 -1.0    // misclassified: dL/df = −y
    check 2.0 -1.0 2.0 1.0     // misclassified: dL/df = −y
    check 0.0 1.0 0.0 0.0      // exactly on the boundary: the notes' convention, no update
