/// A training step allocates nothing once the network has seen its batch size.
module Allocation

open System
open Xunit
open Engine.Activations
open Engine.Diagnostics
open Engine.Losses
open Engine.Networks
open Engine.Training

/// Warms up, then asserts that 20 steps (forward, backward with the input gradient, SGD update, and the gradient diagnostics
/// when asked) allocate 0 bytes.
let assertStepsAllocateNothingWith (diagnostics: bool) (network: Network) (batch: int) =
    let random = Random 1
    let x = Array.init (batch * network.InputSize) (fun _ -> random.NextDouble())
    let y = Array.init batch (fun _ -> float (random.Next network.OutputSize))
    let loss = SparseCategoricalCrossEntropy()
    let observer = if diagnostics then Some(GradientDiagnostics network) else None
    let step () =
        network.ComputeGradients(ReadOnlySpan x, ReadOnlySpan y, batch, loss, true) |> ignore
        Sgd.Step(network, 0.01)
        match observer with
        | Some d -> d.Observe(); d.Mean |> ignore
        | None -> ()
    for _ in 1 .. 3 do step ()
    let before = GC.GetAllocatedBytesForCurrentThread()
    for _ in 1 .. 20 do step ()
    Assert.Equal(0L, GC.GetAllocatedBytesForCurrentThread() - before)

let assertStepsAllocateNothing = assertStepsAllocateNothingWith false

[<Fact>]
let ``a training step (forward, backward, SGD update) allocates 0 bytes after warm-up`` () =
    let network = Network.Dense([| 784; 16; 16; 10 |], Sigmoid(), Softmax())
    network.Initialize(WeightInitialization.Glorot, 1)
    assertStepsAllocateNothing network 32

[<Fact>]
let ``a convolutional training step allocates 0 bytes after warm-up`` () =
    let conv = Conv2D(ImageShape(1, 8, 8), 4, 3, 3, 1, "same", Relu())
    let pool = MaxPool2D(conv.OutputShape, 2)
    let flatten = Flatten(pool.OutputShape)
    let network = Network([ conv :> Layer; pool; flatten; Dense(flatten.OutputSize, 10, Softmax()) ])
    network.Initialize(WeightInitialization.He, 1)
    assertStepsAllocateNothing network 8

[<Fact>]
let ``a training step observed by the gradient diagnostics allocates 0 bytes after warm-up, dense (sigmoid, softmax) and convolutional (ReLU)`` () =
    let dense = Network.Dense([| 784; 16; 16; 10 |], Sigmoid(), Softmax())
    dense.Initialize(WeightInitialization.Glorot, 1)
    assertStepsAllocateNothingWith true dense 32
    let conv = Conv2D(ImageShape(1, 8, 8), 4, 3, 3, 1, "same", Relu())
    let pool = MaxPool2D(conv.OutputShape, 2)
    let flatten = Flatten(pool.OutputShape)
    let network = Network([ conv :> Layer; pool; flatten; Dense(flatten.OutputSize, 10, Softmax()) ])
    network.Initialize(WeightInitialization.He, 1)
    assertStepsAllocateNothingWith true network 8
