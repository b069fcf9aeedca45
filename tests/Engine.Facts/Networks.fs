/// Layers and networks: sizes, initialization, shapes of convolution and pooling, the fused cost, repeatable gradients.
module Facts.Networks

open System
open Xunit
open Engine
open Engine.Activations
open Engine.Losses
open Engine.Networks
open Facts.Support

[<Fact>]
let ``layers and networks check their sizes`` () =
    throwsFor "inputSize" [ "positive" ] (fun () -> Dense(0, 1, Relu()))
    throwsFor "outputSize" [ "positive" ] (fun () -> Dense(1, 0, Relu()))
    Assert.Throws<ArgumentNullException>(fun () -> Dense(1, 1, Unchecked.defaultof<Activation>) |> ignore) |> ignore
    let dense = Dense(2, 2, Relu())
    throwsFor "weights" [ "2 rows" ] (fun () -> dense.SetParameters([| [| 1.0; 2.0 |] |], [| 0.0; 0.0 |]))
    throwsFor "biases" [ "2 values" ] (fun () -> dense.SetParameters([| [| 1.0; 2.0 |]; [| 1.0; 2.0 |] |], [| 0.0 |]))
    throwsFor "weights" [ "weights[1]"; "2 values" ] (fun () -> dense.SetParameters([| [| 1.0; 2.0 |]; [| 1.0 |] |], [| 0.0; 0.0 |]))
    throwsFor "layers" [ "one layer" ] (fun () -> Network(Seq.empty<Layer>))
    throwsFor "layers" [ "layers[1]"; "3 inputs"; "layers[0]"; "2 outputs" ] (fun () -> Network([ Dense(1, 2, Relu()) :> Layer; Dense(3, 1, Relu()) ]))
    throwsFor "sizes" [ "input and output" ] (fun () -> Network.Dense([| 3 |], Relu(), Relu()))
    let network = Network.Dense([| 2; 3; 1 |], Relu(), Identity())
    Assert.Equal((2, 1, 13), (network.InputSize, network.OutputSize, network.ParameterCount))
    throwsFor "batch" [ "positive" ] (fun () -> dense.Forward(ReadOnlySpan [| 1.0; 2.0 |], 0).Length)
    throwsFor "input" [ "[batch=1, 2]"; "2 values"; "has 3" ] (fun () -> dense.Forward(ReadOnlySpan [| 1.0; 2.0; 3.0 |], 1).Length)

[<Fact>]
let ``initialization draws from the named distribution and zeroes the biases`` () =
    let sample scheme =
        let layer = Dense(400, 100, Relu())
        Array.fill layer.Biases 0 100 1.0
        layer.Initialize(scheme, Random 1)
        Assert.All(layer.Biases, fun b -> Assert.Equal(0.0, b))
        layer.Weights
    let std (xs: float[]) = sqrt (Array.averageBy (fun x -> x * x) xs - (Array.average xs) ** 2.0)
    Assert.True(sample WeightInitialization.Uniform |> Array.forall (fun w -> abs w <= 1.0 / 20.0))
    Assert.InRange(std (sample WeightInitialization.Normal), 0.98, 1.02)
    Assert.True(sample WeightInitialization.Glorot |> Array.forall (fun w -> abs w <= sqrt (6.0 / 500.0)))
    Assert.InRange(std (sample WeightInitialization.Glorot), 0.97 * sqrt (2.0 / 500.0), 1.03 * sqrt (2.0 / 500.0))
    Assert.InRange(std (sample WeightInitialization.He), 0.98 * sqrt (2.0 / 400.0), 1.02 * sqrt (2.0 / 400.0))
    throwsFor "scheme" [ "weight initialization" ] (fun () -> sample (enum<WeightInitialization> 9))

[<Fact>]
let ``the network checks batch and shapes, naming the sizes it expected`` () =
    let network = Network.Dense([| 2; 2 |], Relu(), Softmax())
    throwsFor "batch" [ "positive" ] (fun () -> network.ValidateInputs(ReadOnlySpan [||], 0); 0)
    throwsFor "inputs" [ "[batch=2, 2]"; "4 values"; "has 3" ] (fun () -> network.ValidateInputs(ReadOnlySpan [| 0.0; 0.0; 0.0 |], 2); 0)
    let loss = CategoricalCrossEntropy()
    throwsFor "targets" [ "[batch=2, 2]"; "4 values"; "cce"; "2 outputs"; "has 3" ] (fun () -> network.ValidateTargets(ReadOnlySpan [| 1.0; 0.0; 1.0 |], 2, loss); 0)
    throwsFor "targets" [ "[batch=1, 2]" ] (fun () -> network.Cost(ReadOnlySpan [| 0.0; 0.0 |], ReadOnlySpan [| 1.0 |], 1, loss))

[<Fact>]
let ``a non-finite input is refused whichever layer reads it first; finite inputs that overflow the first layer are not`` () =
    // A dense first layer vouches for its inputs through its z; every other layer leaves them to the network's scan. A 1 × 1
    // convolution of stride 2 never reads the pixels in odd rows and columns, so only the scan can see a NaN there.
    let dense = Network.Dense([| 2; 1 |], Relu(), Identity())
    (dense.Layers[0] :?> Dense).SetParameters([| [| 10.0; 10.0 |] |], [| 0.0 |])
    throwsFor "inputs" [ "inputs[1, 0]"; "NaN" ] (fun () -> dense.Forward(ReadOnlySpan [| 1.0; 2.0; nan; 3.0 |], 2).Length)
    throwsFor "inputs" [ "inputs[0, 1]"; "Infinity" ] (fun () -> dense.Forward(ReadOnlySpan [| 0.0; -infinity |], 1).Length)
    Assert.Equal(infinity, dense.Forward(ReadOnlySpan [| 1e308; 1e308 |], 1)[0])
    (dense.Layers[0] :?> Dense).SetParameters([| [| nan; 1.0 |] |], [| 0.0 |])
    Assert.True(Double.IsNaN(dense.Forward(ReadOnlySpan [| 1.0; 2.0 |], 1)[0]))
    let strided = Network([ Conv2D(ImageShape(1, 3, 3), 1, 1, 1, 2, "valid", Identity()) :> Layer ])
    strided.Layers[0].Parameters[0].Values[0] <- 1.0
    let image = Array.init 9 float
    Assert.Equal<float>([| 0.0; 2.0; 6.0; 8.0 |], strided.Forward(ReadOnlySpan image, 1).ToArray())
    image[1] <- nan
    throwsFor "inputs" [ "inputs[0, 1]"; "NaN" ] (fun () -> strided.Forward(ReadOnlySpan image, 1).Length)

[<Fact>]
let ``the cost through a fused output comes from the logits, row by row`` () =
    let layer = Dense(1, 1, Sigmoid())
    layer.SetParameters([| [| 1.0 |] |], [| 0.0 |])
    let network = Network([ layer :> Layer ])
    // σ(50) rounds to 1, so ln(1 − a) would hit the −100 clamp; from the logit, L = 50 exactly. The second row is ordinary.
    let x, y = [| 50.0; 0.5 |], [| 0.0; 1.0 |]
    let expected = (50.0 + Numerics.Log1p(exp -50.0) + (Numerics.Log1p(exp -0.5))) / 2.0
    Assert.Equal(expected, network.Cost(x, y, 2, BinaryCrossEntropy()), 14)
    Assert.Equal(0, network.InputGradient.Length)
    network.ComputeGradients(x, y, 2, BinaryCrossEntropy()) |> ignore
    Assert.Equal(0, network.InputGradient.Length)

[<Fact>]
let ``convolution and pooling check their geometry; padding modes give the documented shapes`` () =
    let image = ImageShape(2, 7, 5)
    let shape (conv: Conv2D) = conv.OutputShape
    Assert.Equal(ImageShape(3, 5, 3), shape (Conv2D(image, 3, 3, 3, 1, "valid", Relu())))
    Assert.Equal(ImageShape(3, 7, 5), shape (Conv2D(image, 3, 3, 3, 1, "same", Relu())))
    Assert.Equal(ImageShape(3, 4, 3), shape (Conv2D(image, 3, 3, 3, 2, "same", Relu())))
    Assert.Equal(Padding(1, 1, 1, 1), (Conv2D(image, 3, 3, 3, 2, "same", Relu())).Pad)
    Assert.Equal(Padding(0, 1, 0, 1), (Conv2D(image, 1, 2, 2, 1, "same", Relu())).Pad)
    Assert.Equal(ImageShape(1, 3, 3), shape (Conv2D(image, 1, 4, 3, 2, "1", Relu())))
    throwsFor "outChannels" [ "positive" ] (fun () -> Conv2D(image, 0, 3, 3, 1, "same", Relu()))
    throwsFor "kernelHeight" [ "1×1" ] (fun () -> Conv2D(image, 1, 0, 3, 1, "same", Relu()))
    throwsFor "stride" [ "positive" ] (fun () -> Conv2D(image, 1, 3, 3, 0, "same", Relu()))
    throwsFor "kernelHeight" [ "fit" ] (fun () -> Conv2D(image, 1, 8, 3, 1, "valid", Relu()))
    throwsFor "mode" [ "'valid'"; "'same'"; "integer" ] (fun () -> Conv2D(image, 1, 3, 3, 1, "-1", Relu()))
    throwsFor "input" [ "positive" ] (fun () -> Conv2D(ImageShape(0, 3, 3), 1, 1, 1, 1, "valid", Relu()))
    Assert.Equal(ImageShape(2, 3, 2), (MaxPool2D(image, 2)).OutputShape)
    Assert.Equal(ImageShape(2, 6, 4), (AvgPool2D(image, 2, 1)).OutputShape)
    throwsFor "size" [ "fit" ] (fun () -> MaxPool2D(image, 6))
    throwsFor "size" [ "positive" ] (fun () -> AvgPool2D(image, -1))
    throwsFor "stride" [ "positive" ] (fun () -> MaxPool2D(image, 2, -1))
    Assert.Equal("[2, 7, 5]", image.ToString())

[<Fact>]
let ``boundaries: a zero-width image, a kernel as wide as its input`` () =
    throwsFor "input" [ "positive"; "[1, 3, 0]" ] (fun () -> Flatten(ImageShape(1, 3, 0)))
    Assert.Equal(ImageShape(2, 1, 1), (Conv2D(ImageShape(1, 3, 3), 2, 3, 3, 1, "valid", Relu())).OutputShape)

[<Fact>]
let ``convolution initialization uses the kernel's fan-out and zeroes the biases`` () =
    let conv = Conv2D(ImageShape(4, 6, 6), 16, 3, 3, 1, "same", Relu())
    Array.fill conv.Biases 0 16 1.0
    conv.Initialize(WeightInitialization.Glorot, Random 3)
    Assert.All(conv.Biases, fun b -> Assert.Equal(0.0, b))
    // Glorot: U(±√(6 / (fan-in + fan-out))), fan-in = 4·3·3 = 36, fan-out = 16·3·3 = 144.
    let limit = sqrt (6.0 / (36.0 + 144.0))
    let largest = conv.Kernels |> Array.map abs |> Array.max
    Assert.InRange(largest, 0.95 * limit, limit)

[<Fact>]
let ``zero-sized kernels and images are refused by name`` () =
    let image = ImageShape(2, 7, 5)
    throwsFor "kernelHeight" [ "1×1"; "3×0" ] (fun () -> Conv2D(image, 1, 3, 0, 1, "same", Relu()))
    throwsFor "input" [ "[1, 0, 3]" ] (fun () -> Flatten(ImageShape(1, 0, 3)))
    throwsFor "size" [ "positive" ] (fun () -> MaxPool2D(image, 0))

[<Fact>]
let ``average pooling shares the gradient equally within each window`` () =
    let pool = AvgPool2D(ImageShape(1, 2, 2), 2)
    let network = Network([ pool :> Layer; Flatten(pool.OutputShape) ])
    let x, y = [| 1.0; 3.0; 3.0; 5.0 |], [| 0.0 |]
    network.ComputeGradients(x, y, 1, MeanSquaredError(SquaredErrorScale.Sum), true) |> ignore
    Assert.Equal<float[]>([| 1.5; 1.5; 1.5; 1.5 |], network.InputGradient.ToArray())

[<Fact>]
let ``max pooling over a batch chooses each sample's maxima within that sample and routes each sample's gradient to them`` () =
    // Two 2×4 images, two 2×2 windows each: sample 0 takes 5 (index 5) and 8 (index 3), sample 1 takes 7 (index 0) and 9 (index 6).
    let pool = MaxPool2D(ImageShape(1, 2, 4), 2)
    let network = Network([ pool :> Layer; Flatten(pool.OutputShape) ])
    let x = [| 1.0; 3.0; 2.0; 8.0; 3.0; 5.0; 4.0; 6.0; 7.0; 2.0; 0.0; 1.0; 4.0; 0.0; 9.0; 3.0 |]
    // C = (1/2)·Σᵢ Σⱼ aᵢⱼ² with targets 0, so ∂C/∂a = a: each chosen input's gradient is the maximum it gave.
    network.ComputeGradients(x, Array.zeroCreate<float> 4, 2, MeanSquaredError(SquaredErrorScale.Sum), true) |> ignore
    Assert.Equal<int[]>([| 5; 3; 0; 6 |], pool.Chosen.ToArray())
    Assert.Equal<float[]>([| 0.0; 0.0; 0.0; 8.0; 0.0; 5.0; 0.0; 0.0; 7.0; 0.0; 0.0; 0.0; 0.0; 0.0; 9.0; 0.0 |], network.InputGradient.ToArray())

/// Computes the gradients of one batch three times: with the input gradient, again (nothing may carry over from the first
/// call), and without it (a first convolution or pooling layer then skips its input gradient).
let private gradientsAreRepeatable (first: Layer) =
    let flatten =
        match first with
        | :? Conv2D as c -> Flatten(c.OutputShape)
        | :? Pool2D as p -> Flatten(p.OutputShape)
        | _ -> failwith "a convolution or pooling layer"
    let network = Network([ first; flatten :> Layer; Dense(flatten.OutputSize, 3, Softmax()) ])
    network.Initialize(WeightInitialization.He, 4)
    let random = Random 5
    let x = Array.init (2 * network.InputSize) (fun _ -> random.NextDouble() - 0.5)
    let y = [| 0.0; 2.0 |]
    let run withInput =
        network.ComputeGradients(ReadOnlySpan x, ReadOnlySpan y, 2, SparseCategoricalCrossEntropy(), withInput) |> ignore
        network.Parameters |> Seq.collect _.Gradient |> Array.ofSeq, (if withInput then network.InputGradient.ToArray() else [||])
    let gradients, inputGradient = run true
    let again, inputAgain = run true
    let without, _ = run false
    Assert.Equal<float[]>(gradients, again)
    Assert.Equal<float[]>(inputGradient, inputAgain)
    Assert.Equal<float[]>(gradients, without)

[<Fact>]
let ``a first convolution gives the same gradients on every call, with or without the input gradient`` () =
    gradientsAreRepeatable (Conv2D(ImageShape(2, 5, 5), 3, 3, 3, 1, "same", Tanh()))

[<Fact>]
let ``a first max or average pooling gives the same gradients on every call, with or without the input gradient`` () =
    gradientsAreRepeatable (MaxPool2D(ImageShape(2, 4, 4), 2))
    gradientsAreRepeatable (AvgPool2D(ImageShape(2, 4, 4), 2, 1))

[<Fact>]
let ``a parameter needs a name and positive dimensions of at most Array.MaxLength values, and says its name and shape`` () =
    Assert.Equal("name", Assert.ThrowsAny<ArgumentException>(fun () -> Parameter("", 2) |> ignore).ParamName)
    throwsFor "shape" [ "weight"; "[2, 0]" ] (fun () -> Parameter("weight", 2, 0))
    throwsFor "shape" [ "weight"; $"[{Array.MaxLength}, 2]" ] (fun () -> Parameter("weight", Array.MaxLength, 2))
    Assert.Equal(Array.MaxLength, Parameter("weight", Array.MaxLength).Count) // its values are allocated on first use only
    Assert.Equal("weight [2, 3]", string (Parameter("weight", 2, 3)))

[<Fact>]
let ``set weights are stored row by row, and a backward pass checks each buffer against the last forward pass by name`` () =
    let dense = Dense(2, 2, Identity())
    dense.SetParameters([| [| 1.0; 2.0 |]; [| 3.0; 4.0 |] |], [| 5.0; 6.0 |])
    Assert.Equal<float[]>([| 1.0; 2.0; 3.0; 4.0 |], dense.Parameters[0].Values)
    let input = [| 1.0; -1.0; 0.5; 2.0 |]
    dense.Forward(ReadOnlySpan input, 2).Length |> ignore
    let backward (input: float[]) (outputGradient: float[]) (inputGradient: float[]) =
        dense.Backward(ReadOnlySpan input, ReadOnlySpan outputGradient, Span inputGradient)
    throwsFor "outputGradient" [ "[2, 2] = 4 values"; "has 3" ] (fun () -> backward input (Array.zeroCreate 3) [||])
    throwsFor "input" [ "[2, 2] = 4 values"; "has 2" ] (fun () -> backward input[.. 1] (Array.zeroCreate 4) [||])
    throwsFor "inputGradient" [ "empty or [2, 2] = 4 values"; "has 3" ] (fun () -> backward input (Array.zeroCreate 4) (Array.zeroCreate 3))
    let network = Network([ dense :> Layer ])
    Assert.Equal("loss", Assert.Throws<ArgumentNullException>(fun () -> network.ValidateTargets(ReadOnlySpan [| 0.0; 0.0 |], 1, Unchecked.defaultof<Loss>)).ParamName)
