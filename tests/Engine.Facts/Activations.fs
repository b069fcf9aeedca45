/// Activations: span and width checks, distances to kinks, step(0), what each writes, loss compatibility, the registry.
module Facts.Activations

open System
open Xunit
open Engine
open Engine.Activations
open Engine.Losses
open Facts.Support

[<Fact>]
let ``activations check their spans and width`` () =
    let relu = Relu()
    throwsFor "width" [ "positive"; "(4)" ] (fun () -> relu.Forward(ReadOnlySpan(Array.zeroCreate 4), Span(Array.zeroCreate 4), 3))
    throwsFor "width" [ "0" ] (fun () -> relu.Forward(ReadOnlySpan(Array.zeroCreate 4), Span(Array.zeroCreate 4), 0))
    throwsFor "a" [ "4" ] (fun () -> relu.Forward(ReadOnlySpan(Array.zeroCreate 4), Span(Array.zeroCreate 3), 4))
    throwsFor "gradientZ" [ "2" ] (fun () -> relu.Backward(ReadOnlySpan(Array.zeroCreate 2), ReadOnlySpan(Array.zeroCreate 2), ReadOnlySpan(Array.zeroCreate 2), Span(Array.zeroCreate 1), 2))
    Assert.Equal("relu", relu.ToString())
    Assert.Equal(0.5, relu.DistanceToKink -0.5)
    Assert.Equal(infinity, Tanh().DistanceToKink 0.0)
    Assert.True(Sigmoid().OutputsAreProbabilities && not (Sigmoid().OutputsSumToOne) && Softmax().OutputsSumToOne && not (Tanh().OutputsAreProbabilities))

/// The identity with a kink declared at 1, to pin down distances to a kink away from 0.
type KinkAtOne() =
    inherit ElementwiseActivation<Identity.Function>(Identity.Function())
    override _.Name = "kink-at-one"
    override _.Kinks = [| 1.0 |]

[<Fact>]
let ``distances to a kink are measured from the kink, wherever it is`` () =
    Assert.Equal(0.75, KinkAtOne().DistanceToKink 0.25)
    Assert.Equal(0.5, KinkAtOne().DistanceToKink 1.5)

[<Fact>]
let ``step(0) = 1, as the perceptron's ŷ = 1 for z ≥ 0`` () =
    let a = [| nan; nan |]
    Step().Forward(ReadOnlySpan [| 0.0; -1e-300 |], Span a, 2)
    Assert.Equal<float[]>([| 1.0; 0.0 |], a)

/// −log of the first output: a loss defined outside the engine that relies on the default compatibility rule.
type LogarithmicLoss() =
    inherit Loss()
    override _.Name = "log"
    override _.RequiresProbabilities = true
    override _.Value(a, _) = -log a[0]
    override _.Gradient(a, _, g) = g.Clear(); g[0] <- -1.0 / a[0]

[<Fact>]
let ``every activation writes exactly its span, whatever the tail, and softmax counts as probabilities`` () =
    for activation in Registry<Activation>.Builtin.All do
        for length in 1 .. 9 do
            let z = Array.init 12 (fun i -> 0.1 * float i - 0.4)
            let a = Array.create 12 42.0
            let width = if activation :? Softmax then length else 1
            activation.Forward(ReadOnlySpan(z, 0, length), Span(a, 0, length), width)
            Assert.True(Array.forall ((=) 42.0) a[length..], sprintf "%s wrote past %d" activation.Name length)
            Assert.True(Array.forall ((<>) 42.0) a[.. length - 1], sprintf "%s left part of %d unwritten" activation.Name length)
    // A loss of one's own that takes logarithms gets the default rule: outputs must be probabilities, as softmax's are.
    let logLoss = LogarithmicLoss()
    Assert.Null(logLoss.Incompatibility(Softmax()))
    Assert.Null(logLoss.Incompatibility(Sigmoid()))
    Assert.Contains("takes logarithms", logLoss.Incompatibility(Tanh()))

[<Fact>]
let ``the registry lists by name, rejects unknown names listing the known ones, and refuses duplicate names`` () =
    let registry = Registry<Activation>.Builtin
    Assert.Equal<string list>(registry.Names |> List.ofSeq, registry.Names |> Seq.sort |> List.ofSeq)
    throwsFor "name" [ "'nope'"; "elu, gelu" ] (fun () -> registry.Get "nope")
    Assert.Same(registry.Get "relu", registry.Get "relu")
    let twice = Assert.Throws<InvalidOperationException>(fun () -> Registry<Activation>.FromAssemblies(typeof<Relu>.Assembly, typeof<BrokenSigmoid>.Assembly) |> ignore)
    mentions [ "'sigmoid'"; "Engine.Activations.Sigmoid"; "BrokenSigmoid" ] twice.Message

[<Fact>]
let ``hyperparameters are built by name and refused on one line naming the type, the hyperparameter and its value`` () =
    let registry = Registry<Activation>.Builtin
    Assert.Equal(0.2, (registry.Create("leaky-relu", readOnlyDict [ "negativeSlope", "0.2" ]) :?> LeakyRelu).NegativeSlope)
    Assert.Same(registry.Get "elu", registry.Create("elu", readOnlyDict []))
    let refused = Assert.Throws<ArgumentException>(fun () -> registry.Create("leaky-relu", readOnlyDict [ "negativeSlope", "-1" ]) |> ignore)
    Assert.Contains("LeakyRelu: negativeSlope", refused.Message)
    Assert.Contains("but is -1.", refused.Message)
    Assert.DoesNotContain("\n", refused.Message)
    Assert.DoesNotContain("'negativeSlope')", refused.Message)
    let unknown = Assert.Throws<ArgumentException>(fun () -> registry.Create("elu", readOnlyDict [ "beta", "1" ]) |> ignore)
    Assert.Contains("no hyperparameter 'beta'; it has alpha", unknown.Message)
    let malformed = Assert.Throws<ArgumentException>(fun () -> registry.Create("elu", readOnlyDict [ "alpha", "big" ]) |> ignore)
    Assert.Contains("'alpha' must be a number, but is 'big'", malformed.Message)

[<Fact>]
let ``ELU's alpha and the flat tails' peak slope are refused unless positive and finite, and each saturation rule says its threshold`` () =
    for alpha in [ 0.0; -1.0; nan; infinity ] do
        throwsFor "alpha" [ "positive and finite" ] (fun () -> Elu alpha)
    for peak in [ 0.0; -0.25; nan; infinity ] do
        throwsFor "peakSlope" [ "positive and finite" ] (fun () -> Saturation.SlopeBelow peak)
    // With a peak slope of 1 the threshold is SlopeFraction = 0.1: a slope exactly there is not saturated, one below is.
    let flat = Saturation.SlopeBelow 1.0
    Assert.Equal(0.5, flat.Fraction(ReadOnlySpan [| Saturation.SlopeFraction; 0.099; -0.05; 1.0 |], 4))
    Assert.Contains("0.1·1", flat.Description)
    Assert.Contains("every sample", Saturation.Dead.Description)

[<Fact>]
let ``a vectorized activation writes only the first z-length values of longer buffers, forward and backward`` () =
    // The spans past z's length hold values a kernel that ran one too far would read (z = 1, ∂C/∂a = 5) or overwrite (1000).
    for length in 0 .. 4 * Numerics.Vector<float>.Count + 3 do
        let z = Array.create (length + 1) 1.0
        let a = Array.append (Array.zeroCreate length) [| 1000.0 |]
        Relu().Forward(ReadOnlySpan(z, 0, length), Span a, 1)
        Assert.Equal<float[]>(Array.append (Array.create length 1.0) [| 1000.0 |], a)
        let gradientZ = Array.append (Array.zeroCreate length) [| 1000.0 |]
        Relu().Backward(ReadOnlySpan(z, 0, length), ReadOnlySpan a, ReadOnlySpan(Array.create (length + 1) 5.0), Span gradientZ, 1)
        Assert.Equal<float[]>(Array.append (Array.create length 5.0) [| 1000.0 |], gradientZ)
