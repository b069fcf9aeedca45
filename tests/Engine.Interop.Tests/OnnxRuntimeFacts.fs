/// Exported models run in ONNX Runtime on random inputs and compared with the engine: every activation, every layer kind,
/// in float64 where ONNX Runtime has a double kernel for every node and in float32 otherwise, within the bound of ErrorBound.
module OnnxRuntimeFacts

open System
open Xunit
open Xunit.Abstractions
open Engine.Activations
open Engine.Interop.Onnx
open Engine.Networks
open Runtime

/// VERIFY_SCALE multiplies the number of random networks (default 1).
let private scale =
    match Environment.GetEnvironmentVariable "VERIFY_SCALE" with
    | null | "" -> 1.0
    | text -> Double.Parse(text, Globalization.CultureInfo.InvariantCulture)

/// VERIFY_ONNX_SEED=n replays the one case a failure names.
let private replay =
    match Environment.GetEnvironmentVariable "VERIFY_ONNX_SEED" with
    | null | "" -> None
    | text -> Some(int text)

/// Every registered activation, one theory case each.
type Cases =
    static member Activations = activations.Names |> Seq.map (fun n -> [| box n |])

let private unitOf (elementType: OnnxDataType) = if elementType = OnnxDataType.Double then ErrorBound.float64Unit else ErrorBound.float32Unit

let private precision (elementType: OnnxDataType) = if elementType = OnnxDataType.Double then "float64" else "float32"

/// The largest error and its ratio to the bound, per network kind and precision.
type private Observed = { mutable Cases: int; mutable MaxError: float; mutable MaxRatio: float; mutable MaxBound: float }

type Networks(output: ITestOutputHelper) =
    /// Each case: export, run in ONNX Runtime, and require every output within the float64 engine's bound plus the runtime's.
    [<Theory; MemberData(nameof Cases.Activations, MemberType = typeof<Cases>)>]
    member _.``exported networks compute the engine's outputs in ONNX Runtime, within the derived bound`` (activation: string) =
        let observed = Collections.Generic.Dictionary<string, Observed>()
        let cases = max 1 (int (20.0 * scale))
        let first = 1000 * (1 + Seq.findIndex ((=) activation) activations.Names)
        let seeds = match replay with Some s -> [ s ] | None -> [ first .. first + 2 * cases - 1 ]
        for seed in seeds do
            let random = Random seed
            let network, features, kind =
                if seed % 2 = 0 then denseNetwork random activation, -1, "dense"
                else let n, f = convolutionalNetwork random activation in n, f, "convolutional"
            let features = if features < 0 then network.InputSize else features
            let standardizer = drawStandardizer random features
            let batch = random.Next(1, 6)
            let inputs = drawInputs random batch features
            let elementType, session = preferDouble network standardizer
            use _ = session
            let actual = run session elementType inputs batch features
            let expected = engineOutputs network standardizer inputs batch
            let bound =
                Array.map2 (+) (ErrorBound.outputBound (unitOf elementType) network standardizer inputs batch)
                               (ErrorBound.outputBound ErrorBound.float64Unit network standardizer inputs batch)
            let key = sprintf "%-13s %s" kind (precision elementType)
            let o = match observed.TryGetValue key with | true, o -> o | _ -> let o = { Cases = 0; MaxError = 0.0; MaxRatio = 0.0; MaxBound = 0.0 } in observed[key] <- o; o
            o.Cases <- o.Cases + 1
            Assert.Equal(expected.Length, actual.Length)
            for i in 0 .. expected.Length - 1 do
                let error = abs (actual[i] - expected[i])
                if not (error <= bound[i]) then
                    failwithf "%s, %s network, seed %d (replay: VERIFY_ONNX_SEED=%d), %s: output %d is %.17g in ONNX Runtime and %.17g in the engine; error %.3g exceeds the bound %.3g. Layers: %s"
                        activation kind seed seed (precision elementType) i actual[i] expected[i] error bound[i]
                        (network.Layers |> Seq.map (fun l -> Engine.Serialization.Topology.Encode(l).ToJsonString()) |> String.concat " ")
                o.MaxError <- max o.MaxError error
                o.MaxBound <- max o.MaxBound bound[i]
                if bound[i] > 0.0 then o.MaxRatio <- max o.MaxRatio (error / bound[i])
        for KeyValue(key, o) in observed |> Seq.sortBy _.Key do
            output.WriteLine(sprintf "%-11s %s: %2d networks, max error %s, max bound %s, max error/bound %s"
                                 activation key o.Cases (invariant o.MaxError) (invariant o.MaxBound) (invariant o.MaxRatio))

/// An activation the exporter does not know (z³), to check the error.
type Cube() =
    inherit Activation()
    override _.Name = "cube"
    override _.ForwardCore(z: ReadOnlySpan<float>, a: Span<float>, _width: int) =
        for i in 0 .. z.Length - 1 do a[i] <- z[i] * z[i] * z[i]
    override _.BackwardCore(z: ReadOnlySpan<float>, _a: ReadOnlySpan<float>, gradientA: ReadOnlySpan<float>, gradientZ: Span<float>, _width: int) =
        for i in 0 .. z.Length - 1 do gradientZ[i] <- 3.0 * z[i] * z[i] * gradientA[i]

/// A layer the exporter does not know (doubles its inputs).
type Doubler() =
    inherit Layer(2, 2)
    override _.ForwardCore(input: ReadOnlySpan<float>, output: Span<float>, _batch: int) =
        for i in 0 .. input.Length - 1 do output[i] <- 2.0 * input[i]
    override _.BackwardCore(_input: ReadOnlySpan<float>, outputGradient: ReadOnlySpan<float>, inputGradient: Span<float>) =
        for i in 0 .. inputGradient.Length - 1 do inputGradient[i] <- 2.0 * outputGradient[i]

[<Fact>]
let ``an activation with no ONNX exporter is an error naming it, its layer and the exportable ones`` () =
    let network = Network([ Dense(2, 3, Relu()) :> Layer; Dense(3, 2, Cube()) ])
    let e = Assert.Throws<ArgumentException>(fun () -> OnnxExport.ToModel(network) |> ignore)
    Assert.Contains("layers.1: the activation 'cube' has no ONNX equivalent", e.Message)
    Assert.Contains("exportable: ", e.Message)
    Assert.Contains("leaky-relu", e.Message)

[<Fact>]
let ``a layer with no ONNX exporter is an error naming its class and position`` () =
    let e = Assert.Throws<ArgumentException>(fun () -> OnnxExport.ToModel(Network([ Dense(2, 2, Relu()) :> Layer; Doubler() ])) |> ignore)
    Assert.Contains("layers.1: no ONNX exporter writes Doubler layers", e.Message)

type Kernels(output: ITestOutputHelper) =
    /// The kernel assumption of ErrorBound, checked: each activation alone (a dense layer of identity weights and zero biases,
    /// exact in either type) on every float32 z = k/64 in [−40, 40], with its default and two drawn hyperparameters, in each
    /// precision ONNX Runtime runs it in.
    [<Theory; MemberData(nameof Cases.Activations, MemberType = typeof<Cases>)>]
    member _.``each activation's ONNX form is within the stated kernel accuracy on a sweep of inputs`` (activation: string) =
        let random = Random 7
        let grid = Array.init 5121 (fun k -> float (k - 2560) / 64.0)
        let worst = Collections.Generic.SortedDictionary<string, float>()
        for trial in 1..3 do
            let sigma = if trial = 1 then activations.Get activation else drawActivation random activation
            let width = if sigma :? Softmax then 3 else 1
            let layer = Dense(width, width, sigma)
            for j in 0 .. width - 1 do layer.Weights[j * width + j] <- 1.0
            let network = Network([ layer :> Layer ])
            // Softmax rows (z, z/2, −z); elementwise activations one z per row.
            let inputs = if width = 1 then grid else grid |> Array.collect (fun z -> [| z; z / 2.0; -z |])
            let batch = inputs.Length / width
            for elementType in [ OnnxDataType.Float; OnnxDataType.Double ] do
                let key = precision elementType
                match (try Some(session (encode network None elementType)) with :? Microsoft.ML.OnnxRuntime.OnnxRuntimeException -> None) with
                | None -> worst[key] <- nan
                | Some session ->
                    use _ = session
                    let actual = run session elementType inputs batch width
                    let expected = network.Forward(ReadOnlySpan inputs, batch).ToArray()
                    let ulps = if width = 1 then ErrorBound.kernelUlps else ErrorBound.softmaxUlps width
                    for i in 0 .. inputs.Length - 1 do
                        let measured = abs (actual[i] - expected[i]) / (unitOf elementType * max 1.0 (max (abs inputs[i]) (abs expected[i])))
                        if not (measured <= ulps) then
                            failwithf "%s (%s) in %s at z = %g: ONNX Runtime gives %.9g, the engine %.17g: %.1f units of u·max(1, |z|, |a|), above the stated %g"
                                sigma.Name (Engine.Serialization.Components.Encode(sigma).ToJsonString()) key inputs[i] actual[i] expected[i] measured ulps
                        worst[key] <- max (match worst.TryGetValue key with | true, w -> w | _ -> 0.0) measured
        for KeyValue(key, w) in worst do
            output.WriteLine(if Double.IsNaN w then sprintf "%-11s %s: ONNX Runtime has no kernel" activation key
                             else sprintf "%-11s %s: max error %.2f u·max(1, |z|, |a|)" activation key w)

[<Fact>]
let ``every Lipschitz constant of ErrorBound bounds the engine's derivative on z in [-40, 40]`` () =
    let random = Random 3
    let grid = Array.init 80001 (fun k -> float (k - 40000) / 1000.0)
    for name in activations.Names do
        for trial in 1..4 do
            let sigma = if trial = 1 then activations.Get name else drawActivation random name
            if not (sigma :? Softmax || sigma :? Step) then
                let a = Array.zeroCreate grid.Length
                sigma.Forward(ReadOnlySpan grid, Span a, 1)
                let slopes = Array.zeroCreate grid.Length
                sigma.Backward(ReadOnlySpan grid, ReadOnlySpan a, ReadOnlySpan(Array.create grid.Length 1.0), Span slopes, 1)
                let steepest = slopes |> Array.map abs |> Array.max
                Assert.True(steepest <= ErrorBound.lipschitz sigma, sprintf "%s: |σ'| reaches %g above the constant %g" (string sigma) steepest (ErrorBound.lipschitz sigma))
