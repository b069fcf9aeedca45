/// How far a network's outputs computed in floating point of unit roundoff u can lie from the exact ones: a running forward
/// error analysis, per value, of the layers' sums of products (Higham, Accuracy and Stability of Numerical Algorithms, §3.1:
/// a sum of n products computed in any order is within γₙ·Σ|xₖyₖ| of the exact sum, γₙ = n·u/(1 − n·u)), the activations'
/// Lipschitz constants, and a stated accuracy of the runtime's activation kernels.
///
/// The bound is rigorous given that last assumption, which `kernelUlps` states and a test checks on a sweep of inputs. Two
/// computations that each satisfy their bound differ by at most the sum of the two bounds: that is what the tests allow.
module ErrorBound

open System
open System.Text.Json.Nodes
open Engine.Activations
open Engine.Data
open Engine.Networks
open Engine.Serialization

/// Unit roundoff of float32 (2⁻²⁴) and float64 (2⁻⁵³).
let float32Unit = Math.Pow(2.0, -24.0)
let float64Unit = Math.Pow(2.0, -53.0)

/// γₙ.
let gamma (u: float) (n: int) = float n * u / (1.0 - float n * u)

/// The stated accuracy of an activation kernel: σ̂(z) is within `kernelUlps`·u·max(1, |z|, |σ(z)|) of σ(z). For float64 that is
/// libm's exp and tanh (≤ 1 ulp) plus the few roundings of a composed formula; for float32 ONNX Runtime's MLAS kernels (rational
/// approximations after Eigen, a few ulps, clamped to ±9 for tanh where the float nearest tanh is ±1), LeakyRelu's and Elu's
/// float32 alpha attributes (1 ulp of |z|), and SiLU's and GELU's composed Mul/Add/Tanh nodes (GELU's ½·z·(1 + tanh) scales the
/// tanh kernel's error near −1 by |z|/2, hence the |z| in the scale). OnnxRuntimeFacts.Kernels checks it on a sweep of inputs.
let kernelUlps = 8.0

/// The softmax kernel adds to that the rounding of its row sum of `width` exponentials (γ_width, relative, on outputs ≤ 1).
let softmaxUlps (width: int) = kernelUlps + float width + 1.0

/// A global Lipschitz constant of each elementwise activation: |σ(z′) − σ(z)| ≤ L·|z′ − z|. For softmax, ½ in the ∞-norm of
/// the row (Σₖ|∂aⱼ/∂zₖ| = 2aⱼ(1 − aⱼ) ≤ ½). Step has none: a value within the error of its kink may flip (handled apart).
/// OnnxRuntimeFacts checks every constant against the engine's derivatives.
let lipschitz (activation: Activation) =
    match activation with
    | :? Identity | :? Relu | :? Tanh | :? Softplus | :? Softsign -> 1.0
    | :? Sigmoid -> 0.25
    | :? LeakyRelu as l -> max 1.0 l.NegativeSlope
    | :? Elu as e -> max 1.0 e.Alpha
    | :? Silu -> 1.1
    | :? Gelu -> 1.13
    | :? Softmax -> 0.5
    | _ -> failwithf "ErrorBound has no Lipschitz constant for the activation '%s': add it to `lipschitz`." activation.Name

/// Error bounds on σ̂(ẑ) given bounds `ez` on ẑ: L·e_z plus the kernel's own error (a step flips only within e_z of 0).
let private activationError (u: float) (activation: Activation) (z: float[]) (a: float[]) (ez: float[]) (width: int) =
    let scale i = max 1.0 (max (abs z[i] + ez[i]) (abs a[i]))
    match activation with
    | :? Step -> Array.init z.Length (fun i -> if abs z[i] <= ez[i] then 1.0 else 0.0)
    | :? Softmax ->
        Array.init z.Length (fun i ->
            let row = i / width * width
            lipschitz activation * Array.max ez[row .. row + width - 1] + softmaxUlps width * u)
    | _ -> Array.init z.Length (fun i -> lipschitz activation * ez[i] + kernelUlps * u * scale i)

/// The layer's twin with every parameter replaced by its absolute value (biases by 0 unless `withBias`) and no activation:
/// its forward pass computes Σ|w|·x (+ |b|), the magnitudes in the γₙ bound. Built through the layer's codec, so every layer kind
/// the model files know has one.
let private magnitudeTwin (layer: Layer) (withBias: bool) =
    let spec = Topology.Encode layer
    if spec.ContainsKey "activation" then spec["activation"] <- JsonValue.Create "identity"
    let twin = Topology.Decode spec
    for original, copy in Seq.zip layer.Parameters twin.Parameters do
        for i in 0 .. copy.Count - 1 do
            copy.Values[i] <- if copy.Name = "bias" && not withBias then 0.0 else abs original.Values[i]
    twin

/// Values summed per output of a layer's linear map: the fan-in.
let private fanIn (layer: Layer) =
    match layer with
    | :? Dense as d -> d.InputSize
    | :? Conv2D as c -> c.InputShape.Channels * c.KernelHeight * c.KernelWidth
    | _ -> failwithf "ErrorBound has no fan-in for %s layers: add it to `fanIn`." (layer.GetType().Name)

let private add (x: float[]) (y: float[]) = Array.map2 (+) x y

/// Per output value, a bound on |computed − exact| for the network evaluated in unit roundoff `u` on raw `inputs`
/// (standardized by `standardizer` first, if given). The network's state after the call is its forward pass on these inputs.
let outputBound (u: float) (network: Network) (standardizer: Standardizer option) (inputs: float[]) (batch: int) =
    let features = network.InputSize
    // Rounding x and the mean, the subtraction, rounding the deviation and the division: γ₅·(|x| + |μ|)/σ.
    let x, e0 =
        match standardizer with
        | None -> inputs, inputs |> Array.map (fun v -> u * abs v)
        | Some s ->
            s.Transform(Dataset(inputs, features, Array.zeroCreate batch, 1)).Features,
            inputs |> Array.mapi (fun i v -> gamma u 5 * (abs v + abs s.Means[i % features]) / s.Deviations[i % features])
    network.Forward(ReadOnlySpan x, batch).ToArray() |> ignore
    let mutable values, errors = x, e0
    for layer in network.Layers do
        let next =
            match layer with
            | :? ActivatedLayer as activated ->
                // z = Σ w·x + b: the input errors through |W|, plus γ_{n+2} of the magnitudes (n products and the bias, and the
                // rounding of the weights to the runtime's type).
                let propagated = (magnitudeTwin layer false).Forward(ReadOnlySpan errors, batch).ToArray()
                let magnitude = (magnitudeTwin layer true).Forward(ReadOnlySpan(add (Array.map abs values) errors), batch).ToArray()
                let ez = Array.map2 (fun p m -> (1.0 + u) * p + gamma u (fanIn layer + 2) * m) propagated magnitude
                activationError u activated.Activation (activated.PreActivations.ToArray()) (activated.Outputs.ToArray()) ez layer.OutputSize
            // The maximum of values each within e is within the largest e; the maximum itself is exact.
            | :? MaxPool2D as pool -> MaxPool2D(pool.InputShape, pool.Size, pool.Stride).Forward(ReadOnlySpan errors, batch).ToArray()
            // The mean of size² values: their errors' mean, plus γ_{size²+1} of the mean magnitude.
            | :? AvgPool2D as pool ->
                let mean (v: float[]) = AvgPool2D(pool.InputShape, pool.Size, pool.Stride).Forward(ReadOnlySpan v, batch).ToArray()
                Array.map2 (fun e m -> e + gamma u (pool.Size * pool.Size + 1) * m) (mean errors) (mean (add (Array.map abs values) errors))
            | :? Flatten -> errors
            | _ -> failwithf "ErrorBound has no error model for %s layers: add one to `outputBound`." (layer.GetType().Name)
        errors <- next
        values <- layer.Outputs.ToArray()
    errors
