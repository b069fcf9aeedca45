/// Property 9: the conventions at the kinks, where the derivative is a choice and no oracle can decide it, as explicit facts:
/// each activation and loss at its declared kink, and max pooling on a tie.
module Kinks

open System
open Xunit
open Engine.Activations
open Engine.Losses
open Engine.Networks

let private derivativeAt (activation: Activation) (z: float) =
    let a, d = [| 0.0 |], [| 0.0 |]
    activation.Forward(ReadOnlySpan [| z |], Span a, 1)
    activation.Backward(ReadOnlySpan [| z |], ReadOnlySpan a, ReadOnlySpan [| 1.0 |], Span d, 1)
    d[0]

[<Fact>]
let ``ReLU'(0) = 0, as PyTorch, TensorFlow and seed 003's table`` () = Assert.Equal(0.0, derivativeAt (Relu()) 0.0)

[<Fact>]
let ``step' = 0 everywhere, at the kink included`` () =
    for z in [ -1.0; 0.0; 1e-300; 1.0 ] do Assert.Equal(0.0, derivativeAt (Step()) z)

[<Fact>]
let ``leaky ReLU'(0) = 0.01, the left slope, as ReLU`` () = Assert.Equal(0.01, derivativeAt (LeakyRelu()) 0.0)

[<Fact>]
let ``ELU is continuously differentiable at its declared kink: the slope is 1 on both sides`` () =
    Assert.Equal(1.0, derivativeAt (Elu()) 0.0)
    Assert.Equal(1.0, derivativeAt (Elu()) 1e-12)

let private gradientAt (loss: Loss) (a: float) (y: float) =
    let g = [| nan |]
    loss.Gradient(ReadOnlySpan [| a |], ReadOnlySpan [| y |], Span g)
    g[0]

[<Fact>]
let ``MAE at its corner a = y has gradient 0 (sign(0) = 0, as PyTorch)`` () = Assert.Equal(0.0, gradientAt (MeanAbsoluteError()) 0.7 0.7)

[<Fact>]
let ``the hinge at its corner y·a = 1 has gradient 0; just inside the margin −y`` () =
    Assert.Equal(0.0, gradientAt (Hinge()) 1.0 1.0)
    Assert.Equal(-1.0, gradientAt (Hinge()) (1.0 - 1e-12) 1.0)
    Assert.Equal(1.0, gradientAt (Hinge()) -0.5 -1.0)

[<Fact>]
let ``the perceptron loss at y·a = 0 has gradient 0 (the notes: no update on the boundary)`` () =
    Assert.Equal(0.0, gradientAt (PerceptronLoss()) 0.0 1.0)
    Assert.Equal(0.0, gradientAt (PerceptronLoss()) 0.0 -1.0)

[<Fact>]
let ``Huber's gradient is continuous at |r| = delta: it is ±delta there`` () =
    Assert.Equal(1.0, gradientAt (Huber()) 2.0 1.0)
    Assert.Equal(-1.0, gradientAt (Huber()) 0.0 1.0)
    Assert.Equal(1.0 - 1e-9, gradientAt (Huber()) (2.0 - 1e-9) 1.0, 15)

[<Fact>]
let ``max pooling routes the gradient of a tie to the first maximum in row-major window order`` () =
    let pool = MaxPool2D(ImageShape(1, 2, 2), 2)
    let network = Network([ pool :> Layer; Flatten(pool.OutputShape) ])
    let x, y = [| 1.0; 3.0; 3.0; 3.0 |], [| 0.0 |]
    let gradient = network.ComputeGradients(x, y, 1, MeanSquaredError(SquaredErrorScale.Sum), true)
    Assert.Equal(9.0, gradient)
    Assert.Equal<float[]>([| 0.0; 6.0; 0.0; 0.0 |], network.InputGradient.ToArray())
