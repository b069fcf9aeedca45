/// docs/walkthroughs.md §3 (seed 002): parameter count and the row-vector form of forward propagation.
module Seed002Shapes

open Xunit
open MathNet.Numerics.LinearAlgebra
open Engine.Activations
open Engine.Networks

[<Fact>]
let ``a 4 → 3 → 2 → 1 network has 4·3 + 3 + 3·2 + 2 + 2·1 + 1 = 26 parameters`` () =
    Assert.Equal(26, Network.Dense([| 4; 3; 2; 1 |], Sigmoid(), Sigmoid()).ParameterCount)

[<Fact>]
let ``the forward pass follows a^[l] = sigma(a^[l−1]·W^[l] + b^[l]) with the notes' W^[l] the transpose of the engine's [out, in] storage`` () =
    let net = Network.Dense([| 4; 3; 2; 1 |], Sigmoid(), Sigmoid())
    net.Initialize(WeightInitialization.Normal, 26)
    let x = [| 0.5; -1.0; 2.0; 0.25 |]
    let sigma (v: Vector<float>) = v.Map(fun z -> 1.0 / (1.0 + exp -z))
    let mutable a = Vector<float>.Build.DenseOfArray x
    for layer in net.Layers do
        let dense = layer :?> Dense
        // Weights is [out, in] row-major; the notes' W^[l] is [in, out], so W^[l] = (engine W)ᵀ.
        let engineW = Matrix<float>.Build.DenseOfRowMajor(dense.OutputSize, dense.InputSize, dense.Weights)
        a <- sigma (a * engineW.Transpose() + Vector<float>.Build.DenseOfArray dense.Biases)
    let output = net.Forward(x, 1).ToArray()
    Assert.Equal(a[0], output[0], 15)
