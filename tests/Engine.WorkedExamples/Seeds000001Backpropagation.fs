/// docs/walkthroughs.md §5 (seeds 000 and 001): what the four equations say about the output error and about learning speed.
module Seeds000001Backpropagation

open System
open Xunit
open Xunit.Abstractions
open Engine.Activations
open Engine.Losses
open Engine.Networks

/// Binary cross-entropy without its fused path: the same value and gradient, so δᴸ comes by BP1's chain rule.
type ChainRuleBinaryCrossEntropy() =
    inherit Loss()
    let inner = BinaryCrossEntropy()
    override _.Name = "bce-by-chain-rule"
    override _.RequiresProbabilities = true
    override _.Value(output, target) = inner.Value(output, target)
    override _.Gradient(output, target, gradient) = inner.Gradient(output, target, gradient)

let private outputDeltas (loss: Loss) =
    let net = Network.Dense([| 3; 4; 1 |], Tanh(), Sigmoid())
    net.Initialize(WeightInitialization.Normal, 0)
    let x, y = [| 0.3; -0.7; 1.1; -0.2; 0.5; 0.9 |], [| 1.0; 0.0 |]
    net.ComputeGradients(x, y, 2, loss) |> ignore
    (net.Layers[1] :?> Dense).Deltas.ToArray(), net.Layers[1].Outputs.ToArray()

[<Fact>]
let ``sigmoid with binary cross-entropy gives delta^L = a^L − y, the same through the fused and the chain-rule paths`` () =
    let fused, a = outputDeltas (BinaryCrossEntropy())
    let chained, _ = outputDeltas (ChainRuleBinaryCrossEntropy())
    Assert.Equal<float[]>([| a[0] - 1.0; a[1] - 0.0 |], fused)
    Array.iter2 (fun f c -> Assert.True(abs (f - c) <= 1e-14 * abs f, sprintf "fused %.17g, chain rule %.17g" f c)) fused chained

let private weightGradient (loss: Loss) =
    // One sigmoid neuron with z = w·x = 10·1: saturated at a = σ(10) ≈ 0.99995, but the target is 0.
    let neuron = Dense(1, 1, Sigmoid())
    neuron.SetParameters([| [| 10.0 |] |], [| 0.0 |])
    let x, y = [| 1.0 |], [| 0.0 |]
    Network([ neuron :> Layer ]).ComputeGradients(x, y, 1, loss) |> ignore
    neuron.WeightGradient[0]

type SaturatedNeuron(output: ITestOutputHelper) =
    [<Fact>]
    member _.``a saturated sigmoid output (z = 10) learns at least 1,000 times slower under the quadratic cost than under cross-entropy`` () =
        let quadratic = weightGradient (MeanSquaredError(SquaredErrorScale.HalfSum))
        let crossEntropy = weightGradient (BinaryCrossEntropy())
        output.WriteLine(sprintf "dC/dw: quadratic %.6g, cross-entropy %.6g, ratio %.0f" quadratic crossEntropy (crossEntropy / quadratic))
        Assert.True(crossEntropy / quadratic >= 1000.0)

type VanishingGradients(output: ITestOutputHelper) =
    [<Fact>]
    member _.``in a 10-layer sigmoid network the first layer's gradient norm is orders of magnitude below the last layer's`` () =
        let net = Network.Dense(Array.replicate 11 20, Sigmoid(), Sigmoid())
        net.Initialize(WeightInitialization.Glorot, 10)
        let random = Random 10
        let x = Array.init (8 * 20) (fun _ -> random.NextDouble())
        let y = Array.init (8 * 20) (fun _ -> float (random.Next 2))
        net.ComputeGradients(x, y, 8, MeanSquaredError(SquaredErrorScale.HalfSum)) |> ignore
        let norms = net.Layers |> Seq.map (fun l -> sqrt (Array.sumBy (fun g -> g * g) (l :?> Dense).WeightGradient)) |> Array.ofSeq
        norms |> Array.iteri (fun l n -> output.WriteLine(sprintf "layer %2d: |dC/dW| = %.3e" (l + 1) n))
        Assert.True(norms[9] / norms[0] >= 1000.0, sprintf "last/first = %g" (norms[9] / norms[0]))
