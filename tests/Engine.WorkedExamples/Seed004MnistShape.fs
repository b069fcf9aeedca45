/// docs/walkthroughs.md §5 (seed 004): the MNIST-shaped network and its cost C₀ = Σⱼ(aⱼ − yⱼ)², averaged over the examples.
module Seed004MnistShape

open System
open Xunit
open Engine.Activations
open Engine.Losses
open Engine.Networks

[<Fact>]
let ``the [784, 16, 16, 10] network runs forward and backward on a batch, and its cost is the average over examples of C0 = sum_j (a_j − y_j)^2`` () =
    let net = Network.Dense([| 784; 16; 16; 10 |], Sigmoid(), Sigmoid())
    net.Initialize(WeightInitialization.Normal, 4)
    let random = Random 4
    let batch = 5
    let x = Array.init (batch * 784) (fun _ -> random.NextDouble())
    let labels = Array.init batch (fun _ -> random.Next 10)
    let y = Array.init (batch * 10) (fun i -> if labels[i / 10] = i % 10 then 1.0 else 0.0)
    let cost = net.ComputeGradients(x, y, batch, MeanSquaredError(SquaredErrorScale.Sum))
    let a = net.Layers[2].Outputs.ToArray()
    let c0 = Array.init batch (fun i -> Seq.sum (seq { for j in 0 .. 9 -> (a[i * 10 + j] - y[i * 10 + j]) ** 2.0 }))
    Assert.Equal(Array.average c0, cost, 14)
    Assert.Equal(784 * 16, (net.Layers[0] :?> Dense).WeightGradient.Length)
    Assert.All((net.Layers[0] :?> Dense).WeightGradient, fun g -> Assert.True(Double.IsFinite g))
