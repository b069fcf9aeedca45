/// Network.FuseOutputError: the fused output error (δᴸ = a − y from the logits, softmax + cross-entropy, sigmoid + binary
/// cross-entropy) and the general chain rule (∇ₐL through the activation's vector-Jacobian product, BP1) give the same δᴸ,
/// the same gradients and the same cost on random networks, within a bound derived from the rounding of each path.
module FusedPaths

open System
open Xunit
open Xunit.Abstractions
open FsCheck
open FsCheck.FSharp
open Engine
open Engine.Activations
open Engine.Losses
open Engine.Networks
open Engine.Verification

/// γₙ = n·u/(1 − n·u), u = 2⁻⁵³: the bound on the relative error of n rounded operations (Higham, Accuracy and Stability of
/// Numerical Algorithms, §3.1).
let private gamma (n: int) = let nu = float n * Math.Pow(2.0, -53.0) in nu / (1.0 - nu)

/// Every (output activation, loss) pair with a closed form, as the registries declare them.
let private pairs =
    [ for loss in Suite.losses.All do
        match box loss with
        | :? IFusedLoss as fused -> for activation in Suite.activations.All do if fused.FusesWith activation then yield activation.Name, loss.Name
        | _ -> () ]

/// Random dense networks whose output activation and loss are a fused pair; shrinking as the dense topologies shrink.
let topologies =
    let fuse (t: DenseTopology, (activation, loss)) =
        { t with Activations = List.updateAt (t.Activations.Length - 1) { Name = activation; Hyperparameters = [] } t.Activations
                 Loss = { Name = loss; Hyperparameters = [] } }
    let dense = GradientProperties.topologies
    Arb.fromGenShrink (Gen.map2 (fun t p -> fuse (t, p)) dense.Generator (Gen.elements pairs),
                       fun t -> dense.Shrinker t |> Seq.map (fun s -> fuse (s, ((List.last t.Activations).Name, t.Loss.Name))))

/// δᴸ per sample, every parameter gradient, ∂C/∂x and C, by one path.
let private run (case: Case) (fuse: bool) =
    let network = case.Network
    network.FuseOutputError <- fuse
    let cost = network.ComputeGradients(case.Inputs, case.Targets, case.Batch, case.Loss, true)
    let output = network.Layers[network.Layers.Count - 1] :?> ActivatedLayer
    cost, output.Deltas.ToArray(), [| for p in network.Parameters -> Array.copy p.Gradient |], network.InputGradient.ToArray()

/// The targets of sample i as a row of the output's width (a label becomes one-hot).
let private targetRow (case: Case) (i: int) =
    let width = case.Network.OutputSize
    let targetWidth = case.Loss.TargetWidth width
    if targetWidth = width then Array.sub case.Targets (i * width) width
    else Array.init width (fun j -> if j = int case.Targets[i] then 1.0 else 0.0)

/// Whether the unfused path computes without a clamp: BCE divides by max(a(1 − a), 1e-12), the cross-entropies by
/// max(a, e⁻¹⁰⁰) where the target is not 0. Past a clamp the unfused gradient is not ∇ₐL, and the paths rightly differ.
let private unclamped (case: Case) (a: float[]) =
    let width = case.Network.OutputSize
    Seq.forall (fun i ->
        let y = targetRow case i
        Seq.forall (fun j ->
            let p = a[i * width + j]
            if case.Loss :? BinaryCrossEntropy then p * (1.0 - p) >= BinaryCrossEntropy.DenominatorFloor
            else y[j] = 0.0 || p >= Numerics.MinProbability) (seq { 0 .. width - 1 })) (seq { 0 .. case.Batch - 1 })

/// The bound on |δ_fused − δ_unfused| per sample and output, from the operations each path performs on the same computed a.
/// Softmax + cross-entropy: the chain rule computes aⱼ·(gⱼ − Σₖ aₖgₖ) with gₖ = −yₖ/aₖ, at most w + 4 roundings on terms of
/// size yⱼ and aⱼ·Σyₖ; the closed form aⱼ − yⱼ one rounding. Sigmoid + BCE: ((a − y)/max(a(1 − a), floor)/n)·a(1 − a), eight
/// roundings of (a − y)/n, and the closed form two.
let private deltaBound (case: Case) (a: float[]) =
    let width = case.Network.OutputSize
    Array.init (case.Batch * width) (fun index ->
        let i, j = index / width, index % width
        let y = targetRow case i
        if case.Loss :? BinaryCrossEntropy then gamma 10 * abs (a[index] - y[j]) / float width
        else gamma (width + 4) * (y[j] + a[index] * Array.sum y) + gamma 1 * abs (a[index] - y[j]))

/// Backpropagates a bound on |Δδᴸ| with absolute values, |Jᵀ|·e: |W| for each layer and |∂a/∂z| of each activation (its
/// Jacobian by the backward pass with unit cotangents), so that |Δ(∂C/∂θ)| ≤ the bound of θ for every parameter and input.
let private propagate (case: Case) (outputBound: float[]) =
    let network = case.Network
    let layers = network.Layers |> Seq.map (fun l -> l :?> Dense) |> Array.ofSeq
    let batch = float case.Batch
    let parameterBounds = [| for p in network.Parameters -> Array.zeroCreate<float> p.Count |]
    let inputBound = Array.zeroCreate<float> case.Inputs.Length
    for i in 0 .. case.Batch - 1 do
        let mutable e = Array.sub outputBound (i * layers[layers.Length - 1].OutputSize) layers[layers.Length - 1].OutputSize
        for l in layers.Length - 1 .. -1 .. 0 do
            let layer = layers[l]
            let input = if l = 0 then Array.sub case.Inputs (i * layer.InputSize) layer.InputSize else layers[l - 1].Outputs.Slice(i * layer.InputSize, layer.InputSize).ToArray()
            let weightBound, biasBound = parameterBounds[2 * l], parameterBounds[2 * l + 1]
            for j in 0 .. layer.OutputSize - 1 do
                biasBound[j] <- biasBound[j] + e[j] / batch
                for k in 0 .. layer.InputSize - 1 do weightBound[j * layer.InputSize + k] <- weightBound[j * layer.InputSize + k] + e[j] * abs input[k] / batch
            let t = Array.init layer.InputSize (fun k -> Seq.sum (seq { for j in 0 .. layer.OutputSize - 1 -> abs layer.Weights[j * layer.InputSize + k] * e[j] }))
            if l = 0 then for k in 0 .. t.Length - 1 do inputBound[i * t.Length + k] <- t[k] / batch
            else
                let below = layers[l - 1]
                let width = below.OutputSize
                let z = below.PreActivations.Slice(i * width, width).ToArray()
                let a = below.Outputs.Slice(i * width, width).ToArray()
                // Row m of the Jacobian, ∂aₘ/∂z, is the backward pass of the cotangent eₘ.
                let jacobian = Array.init width (fun m ->
                    let row = Array.zeroCreate width
                    below.Activation.Backward(ReadOnlySpan z, ReadOnlySpan a, ReadOnlySpan(Array.init width (fun k -> if k = m then 1.0 else 0.0)), Span row, width)
                    row)
                e <- Array.init width (fun k -> Seq.sum (seq { for m in 0 .. width - 1 -> abs jacobian.[m].[k] * t[m] }))
    parameterBounds, inputBound

/// The bound on |C_fused − C_unfused|: the unfused cost takes logarithms of outputs computed with a relative error of γ₄
/// (sigmoid) or γ_{w+3} (softmax), so ln a moves by that and ln(1 − a) by that times a/(1 − a); the closed forms add the
/// rounding of terms of the size of the logits and the log-sum-exp. Summed over the outputs and averaged over the batch.
let private costBound (case: Case) (a: float[]) =
    let width = case.Network.OutputSize
    let z = (case.Network.Layers[case.Network.Layers.Count - 1] :?> ActivatedLayer).PreActivations.ToArray()
    let perSample i =
        let y = targetRow case i
        let row = Array.sub a (i * width) width
        let logits = Array.sub z (i * width) width
        if case.Loss :? BinaryCrossEntropy then
            Seq.sum (seq { for j in 0 .. width - 1 ->
                            gamma (width + 8) * (y[j] + (1.0 - y[j]) * row[j] / (1.0 - row[j]) + abs logits[j] + 1.0 + abs (log row[j]) + abs (log (1.0 - row[j]))) }) / float width
        else
            let lse = Numerics.LogSumExp(ReadOnlySpan logits)
            Seq.sum (seq { for j in 0 .. width - 1 -> gamma (2 * width + 8) * y[j] * (1.0 + abs (log row[j]) + abs logits[j] + abs lse) })
    (Seq.sum (seq { for i in 0 .. case.Batch - 1 -> perSample i }) / float case.Batch) * (1.0 + gamma case.Batch)

let deltaLog = Accuracy "fused vs unfused δᴸ, error / derived bound"
let gradientLog = Accuracy "fused vs unfused ∂C/∂θ, ∂C/∂x, error / derived bound"
let costLog = Accuracy "fused vs unfused C, error / derived bound"

/// The failures of one case: every difference against its bound, each ratio recorded.
let check (case: Case) =
    let costF, deltaF, gradientsF, inputF = run case true
    let costU, deltaU, gradientsU, inputU = run case false
    case.Network.FuseOutputError <- true
    let a = case.Network.Outputs.ToArray()
    if not (unclamped case a) then NotBuilt "an output saturates past the unfused path's clamp"
    else
        let e = deltaBound case a
        // Each path's own backpropagation rounds too: at most m = Σ(fan-out + 3) + batch + 1 operations along a chain, γₘ of |J|·|δ|.
        let m = (case.Network.Layers |> Seq.sumBy (fun l -> l.OutputSize + 3)) + case.Batch + 1
        let parameterBounds, inputBound = propagate case (Array.init e.Length (fun k -> e[k] + gamma m * (abs deltaF[k] + abs deltaU[k])))
        let failures = ResizeArray<string>()
        let compare (log: Accuracy) (name: string) (fused: float) (unfused: float) (bound: float) =
            let difference = abs (fused - unfused)
            log.Add(if difference = 0.0 then 0.0 else difference / bound)
            if not (difference <= bound) then failures.Add(sprintf "%s: fused %.17g, unfused %.17g, difference %.2e above the bound %.2e" name fused unfused difference bound)
        deltaLog.Configuration()
        for k in 0 .. e.Length - 1 do compare deltaLog (sprintf "δᴸ[%d, %d]" (k / case.Network.OutputSize) (k % case.Network.OutputSize)) deltaF[k] deltaU[k] e[k]
        gradientLog.Configuration()
        for p, parameter in Seq.indexed case.Network.Parameters do
            for k in 0 .. parameter.Count - 1 do
                let name = sprintf "∂C/∂%s of parameter %d" (LayerCheck.Label(parameter.Name, List.ofSeq parameter.Shape, k)) p
                compare gradientLog name gradientsF.[p].[k] gradientsU.[p].[k] parameterBounds.[p].[k]
        for k in 0 .. inputF.Length - 1 do compare gradientLog (sprintf "∂C/∂x[%d]" k) inputF[k] inputU[k] inputBound[k]
        costLog.Configuration()
        compare costLog "C" costF costU (costBound case a)
        Outcome.OfFailures failures

type Tests(output: ITestOutputHelper) =
    [<Fact>]
    member _.``the fused and the unfused output error give the same deltas, gradients and cost, within their derived rounding bounds`` () =
        Suite.check output "fused vs unfused output error" 100 [ deltaLog; gradientLog; costLog ] (fun () -> [ "(each error is divided by its bound: at most 1)" ]) topologies (fun t ->
            match GradientProperties.build t with
            | Error reason -> NotBuilt reason
            | Ok case -> check case)
