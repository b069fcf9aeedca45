/// docs/walkthroughs.md §8 (seed 000). Seed 000 opens with "CNN — convolution → summing → pooling". A 4×4 single-channel image, a 2×2 kernel with 'same' padding,
/// ReLU, 2×2 max pooling and L = Σ(p − t)², every value worked out by hand below.
module Seed000Convolution

open Xunit
open Engine.Activations
open Engine.Losses
open Engine.Networks

//  image x                kernel K       bias b = −0.5, stride 1, 'same' padding for a 2×2 kernel: one zero row below and
//  [1 2 0 1]              [ 1 0]         one zero column on the right (the extra padding goes to the bottom and the right)
//  [0 1 3 2]              [−1 2]
//  [2 0 1 0]
//  [1 3 2 1]
//
//  z[y, x] = x[y, x]·1 + x[y, x+1]·0 + x[y+1, x]·(−1) + x[y+1, x+1]·2 − 0.5, e.g. z[0, 0] = 1 + 0 − 0 + 2·1 − 0.5 = 2.5
//  z = [ 2.5  6.5 0.5 −1.5]     a = ReLU(z) = [2.5 6.5 0.5 0  ]     2×2 max pooling, stride 2:
//      [−2.5  2.5 1.5  1.5]                   [0   2.5 1.5 1.5]     p = [6.5 1.5]   taken from a[0,1], a[1,2] (a tie with a[1,3]:
//      [ 6.5  0.5 0.5 −1.5]                   [6.5 0.5 0.5 0  ]         [6.5 1.5]   the first maximum in row-major order wins),
//      [ 0.5  2.5 1.5  0.5]                   [0.5 2.5 1.5 0.5]                     a[2,0] and a[3,2]
//
//  target t = [2 1; 0 3]: L = (6.5−2)² + (1.5−1)² + (6.5−0)² + (1.5−3)² = 20.25 + 0.25 + 42.25 + 2.25 = 65
//  dL/dp = 2(p − t) = [9 1; 13 −3], routed to the chosen elements; ReLU' = 1 there (all chosen z > 0):
//  δ = dL/dz = [0  9 0 0]      dL/dK[u, v] = Σ δ[y, x]·x_padded[y+u, x+v]:
//              [0  0 1 0]        K[0,0]: 9·2 + 1·3 + 13·2 − 3·2 = 41     K[0,1]: 9·0 + 1·2 + 13·0 − 3·1 = −1
//              [13 0 0 0]        K[1,0]: 9·1 + 1·1 + 13·1 − 3·0 = 23     K[1,1]: 9·3 + 1·0 + 13·3 − 3·0 = 66
//              [0  0 −3 0]     dL/db = Σ δ = 9 + 1 + 13 − 3 = 20
//  dL/dx[r, c] = Σ δ[y, x]·K[r−y, c−x]  = [  0   9   0  0]
//                                          [  0  −9  19  0]
//                                          [ 13   0  −1  2]
//                                          [−13  26  −3  0]

let private image = [| 1.0; 2.0; 0.0; 1.0; 0.0; 1.0; 3.0; 2.0; 2.0; 0.0; 1.0; 0.0; 1.0; 3.0; 2.0; 1.0 |]
let private target = [| 2.0; 1.0; 0.0; 3.0 |]

let private network () =
    let shape = ImageShape(1, 4, 4)
    let conv = Conv2D(shape, 1, 2, 2, 1, "same", Relu())
    Array.blit [| 1.0; 0.0; -1.0; 2.0 |] 0 conv.Kernels 0 4
    conv.Biases[0] <- -0.5
    let pool = MaxPool2D(conv.OutputShape, 2)
    Network([ conv :> Layer; pool; Flatten(pool.OutputShape) ]), conv, pool

let private backpropagated () =
    let net, conv, pool = network ()
    let cost = net.ComputeGradients(image, target, 1, MeanSquaredError(SquaredErrorScale.Sum), true)
    net, conv, pool, cost

[<Fact>]
let ``the convolution with 'same' padding gives z, and ReLU a`` () =
    let _, conv, _, _ = backpropagated ()
    Assert.Equal<float[]>([| 2.5; 6.5; 0.5; -1.5; -2.5; 2.5; 1.5; 1.5; 6.5; 0.5; 0.5; -1.5; 0.5; 2.5; 1.5; 0.5 |], conv.PreActivations.ToArray())
    Assert.Equal<float[]>([| 2.5; 6.5; 0.5; 0.0; 0.0; 2.5; 1.5; 1.5; 6.5; 0.5; 0.5; 0.0; 0.5; 2.5; 1.5; 0.5 |], conv.Outputs.ToArray())

[<Fact>]
let ``2×2 max pooling keeps the window maxima, the first one on a tie`` () =
    let _, _, pool, cost = backpropagated ()
    Assert.Equal<float[]>([| 6.5; 1.5; 6.5; 1.5 |], pool.Outputs.ToArray())
    // Window (0, 1) holds 1.5 at a[1,2] and at a[1,3]: the first in row-major order, index 1·4 + 2 = 6, is chosen.
    Assert.Equal<int[]>([| 1; 6; 8; 14 |], pool.Chosen.ToArray())
    Assert.Equal(65.0, cost)

[<Fact>]
let ``the gradient is routed to the maxima: delta, dL/dK = (41, −1, 23, 66), dL/db = 20 and dL/dx`` () =
    let net, conv, _, _ = backpropagated ()
    Assert.Equal<float[]>([| 0.0; 9.0; 0.0; 0.0; 0.0; 0.0; 1.0; 0.0; 13.0; 0.0; 0.0; 0.0; 0.0; 0.0; -3.0; 0.0 |], conv.Deltas.ToArray())
    Assert.Equal<float[]>([| 41.0; -1.0; 23.0; 66.0 |], conv.KernelGradient)
    Assert.Equal<float[]>([| 20.0 |], conv.BiasGradient)
    Assert.Equal<float[]>([| 0.0; 9.0; 0.0; 0.0; 0.0; -9.0; 19.0; 0.0; 13.0; 0.0; -1.0; 2.0; -13.0; 26.0; -3.0; 0.0 |], net.InputGradient.ToArray())
