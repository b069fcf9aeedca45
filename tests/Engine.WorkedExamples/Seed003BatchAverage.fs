/// docs/walkthroughs.md §1 (seed 003): a 3 → 3 → 2 network, ReLU hidden layer, sigmoid output, L = ½·Σⱼ(oⱼ − yⱼ)²,
/// a batch of two samples averaged, then one update at learning rate 0.01.
module Seed003BatchAverage

open Xunit
open Engine.Activations
open Engine.Losses
open Engine.Networks
open Engine.Optimizers
open Notes

let private network () =
    let hidden = Dense(3, 3, Relu())
    hidden.SetParameters([| [| 0.1; 0.2; -0.1 |]; [| -0.3; 0.4; -0.2 |]; [| 0.5; 0.6; -0.3 |] |], [| -0.1; -0.2; 0.1 |])
    let output = Dense(3, 2, Sigmoid())
    output.SetParameters([| [| 0.1; -0.1; -0.2 |]; [| -0.3; 0.2; 0.3 |] |], [| -0.1; 0.2 |])
    Network([ hidden :> Layer; output ]), hidden, output

let private inputs = [| 1.0; 2.0; 3.0; (* x_A *) 2.0; 1.0; 3.0 (* x_B *) |]
let private targets = [| 1.0; 0.0; 1.0; 0.0 |]
let private loss = MeanSquaredError(SquaredErrorScale.HalfSum)

let private backpropagated () =
    let net, hidden, output = network ()
    net.ComputeGradients(inputs, targets, 2, loss) |> ignore
    net, hidden, output

[<Fact>]
let ``the hidden activations are (0.1, 0, 0.9) for sample A and (0, 0, 0.8) for sample B`` () =
    let _, hidden, _ = backpropagated ()
    allEqualTo 10 [| 0.1; 0.0; 0.9; 0.0; 0.0; 0.8 |] (hidden.Outputs.ToArray())

[<Fact>]
let ``the outputs are (0.4329070950, 0.6082590307) for A and (0.4353637082, 0.6082590307) for B`` () =
    let _, _, output = backpropagated ()
    allEqualTo 10 [| 0.4329070950; 0.6082590307; 0.4353637082; 0.6082590307 |] (output.Outputs.ToArray())

[<Fact>]
let ``the output error of sample A is delta = (o − y)·o(1 − o) = (−0.1392205, 0.1449360)`` () =
    let _, _, output = backpropagated ()
    allEqualTo 7 [| -0.1392205; 0.1449360 |] (output.Deltas.Slice(0, 2).ToArray())

[<Fact>]
let ``the averaged gradient table matches average[l].weights[j][k] and average[l].biases[j] to 6 decimals`` () =
    let _, hidden, output = backpropagated ()
    allEqualTo 6 [| -0.028701; 0.000000; 0.071283 |] hidden.BiasGradient
    allEqualTo 6 [| -0.028701; -0.057403; -0.086104
                    0.000000; 0.000000; 0.000000
                    0.106903; 0.106945; 0.213849 |] hidden.WeightGradient
    allEqualTo 6 [| -0.139010; 0.144936 |] output.BiasGradient
    allEqualTo 6 [| -0.006961; 0.000000; -0.118169
                    0.007247; 0.000000; 0.123196 |] output.WeightGradient

[<Fact>]
let ``one update at learning rate 0.01 gives the notes' new parameters to 8 decimals`` () =
    let net, hidden, output = backpropagated ()
    Sgd().Bind(net).Step(0.01)
    allEqualTo 8 [| -0.09971299; -0.2; 0.09928717 |] hidden.Biases
    // The notes print W[0][2] as "-9,099139": docs/walkthroughs.md §1 names it a typo of -0.09913896.
    allEqualTo 8 [| 0.10028701; 0.20057403; -0.09913896
                    -0.3; 0.4; -0.2
                    0.49893097; 0.59893055; -0.30213849 |] hidden.Weights
    // The notes print b[1] as 0.19855062, having rounded the gradient first; 0.19855064 per docs/walkthroughs.md §1.
    allEqualTo 8 [| -0.0986099; 0.19855064 |] output.Biases
    allEqualTo 8 [| 0.10006961; -0.1; -0.19881831
                    -0.30007247; 0.2; 0.29876804 |] output.Weights

[<Fact>]
let ``sample B's first hidden neuron sits on the ReLU kink and, with ReLU'(0) = 0, contributes nothing`` () =
    let _, hidden, _ = backpropagated ()
    // z = 0.1·2 + 0.2·1 − 0.1·3 − 0.1 = 0 in exact arithmetic; float64 may leave a rounding residue of either sign.
    let zB = hidden.PreActivations[3]
    Assert.True(abs zB <= 1e-16, sprintf "z = %g is not on the kink" zB)
    Assert.Equal(0.0, hidden.Outputs[3])
    Assert.Equal(0.0, hidden.Deltas[3])
    // So row 0 of the averaged gradient is sample A's alone, halved: δ_A[0]·x_A / 2.
    let deltaA0 = hidden.Deltas[0]
    Assert.Equal<float[]>([| deltaA0 * 1.0 / 2.0; deltaA0 * 2.0 / 2.0; deltaA0 * 3.0 / 2.0 |], hidden.WeightGradient[0..2])

[<Fact>]
let ``ReLU'(0) is 0, the convention the table needs (seed 000 says 1 for z >= 0)`` () =
    let z, a, cotangent, gradient = [| 0.0 |], [| 0.0 |], [| 1.0 |], [| nan |]
    Relu().Backward(z, a, cotangent, gradient, 1)
    Assert.Equal(0.0, gradient[0])
