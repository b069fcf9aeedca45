/// Explicit facts about every validation and small rule of the public API: the argument named, the message, the boundary.
module Validation

open System
open System.IO
open Xunit
open Engine
open Engine.Activations
open Engine.Data
open Engine.Kernels
open Engine.Losses
open Engine.Networks
open Engine.Serialization
open Engine.Training
open Engine.Verification

/// Asserts that `action` throws an ArgumentException (or a subclass) naming `argument`, with `fragment` in its message.
let throwsFor (argument: string) (fragment: string) (action: unit -> 'T) =
    let error = Assert.ThrowsAny<ArgumentException>(fun () -> action () |> ignore)
    Assert.Equal(argument, error.ParamName)
    Assert.Contains(fragment, error.Message)

[<Fact>]
let ``Dataset checks its shapes and encodes labels`` () =
    throwsFor "featureCount" "must be positive" (fun () -> Dataset([||], 0, [||], 1))
    throwsFor "targetWidth" "must be positive" (fun () -> Dataset([||], 1, [||], 0))
    throwsFor "features" "not a whole number of rows of 2" (fun () -> Dataset([| 1.0; 2.0; 3.0 |], 2, [| 0.0 |], 1))
    throwsFor "targets" "must be [1, 1] = 1 values" (fun () -> Dataset([| 1.0; 2.0 |], 2, [| 0.0; 1.0 |], 1))
    let data = Dataset([| 1.0; 2.0; 3.0; 4.0; 5.0; 6.0 |], 2, [| 2.0; 0.0; 1.0 |], 1)
    Assert.Equal(3, data.Count)
    Assert.Equal<float[]>([| 0.0; 0.0; 1.0; 1.0; 0.0; 0.0; 0.0; 1.0; 0.0 |], data.OneHot(3).Targets)
    throwsFor "classes" "must be a class label in [0, 1]" (fun () -> data.OneHot 2)
    Assert.Throws<InvalidOperationException>(fun () -> data.OneHot(3).OneHot(3) |> ignore) |> ignore
    let selected = data.Select [| 2; 0 |]
    Assert.Equal<float[]>([| 5.0; 6.0; 1.0; 2.0 |], selected.Features)
    Assert.Equal<float[]>([| 1.0; 2.0 |], selected.Targets)
    Assert.Equal<float[]>([| -2.0; -0.0; -1.0 |], data.MapTargets(fun y -> -y).Targets)

[<Fact>]
let ``the standardizer uses the population deviation, gives a constant feature deviation 1, and checks its input`` () =
    let data = Dataset([| 1.0; 5.0; 3.0; 5.0 |], 2, [| 0.0; 1.0 |], 1)
    let scaler = Standardizer.Fit data
    Assert.Equal<float[]>([| 2.0; 5.0 |], scaler.Means)
    Assert.Equal<float[]>([| 1.0; 1.0 |], scaler.Deviations)
    Assert.Equal<float[]>([| -1.0; 0.0; 1.0; 0.0 |], scaler.Transform(data).Features)
    let wide = Standardizer.Fit(Dataset([| 0.0; 4.0 |], 1, [| 0.0; 0.0 |], 1))
    Assert.Equal(2.0, wide.Deviations[0])
    throwsFor "data" "empty dataset" (fun () -> Standardizer.Fit(Dataset([||], 2, [||], 1)))
    throwsFor "data" "must have 2 features" (fun () -> scaler.Transform(Dataset([| 1.0 |], 1, [| 0.0 |], 1)))
    throwsFor "deviations" "one value per feature (2)" (fun () -> Standardizer([| 0.0; 0.0 |], [| 1.0 |]))
    throwsFor "deviations" "feature 1" (fun () -> Standardizer([| 0.0; 0.0 |], [| 1.0; 0.0 |]))
    throwsFor "deviations" "feature 0" (fun () -> Standardizer([| nan; 0.0 |], [| 1.0; 1.0 |]))
    throwsFor "deviations" "feature 0" (fun () -> Standardizer([| 0.0 |], [| infinity |]))

[<Fact>]
let ``the stratified split takes round(fraction·n) of each class for the test part`` () =
    let labels = Array.append (Array.create 10 0.0) (Array.create 5 1.0)
    let data = Dataset(Array.init 15 float, 1, labels, 1)
    let struct (train, test) = Split.Stratified(data, 0.2, 3)
    Assert.Equal((12, 3), (train.Count, test.Count))
    Assert.Equal(2, test.Targets |> Array.filter ((=) 0.0) |> Array.length)
    Assert.Equal(1, test.Targets |> Array.filter ((=) 1.0) |> Array.length)
    Assert.Equal<float[]>(Array.init 15 float, Array.sort (Array.append train.Features test.Features))
    for bad in [ 0.0; 1.0; -0.1; nan ] do throwsFor "testFraction" "must lie in (0, 1)" (fun () -> Split.Stratified(data, bad, 1))

[<Fact>]
let ``layers and networks check their sizes`` () =
    throwsFor "inputSize" "must be positive" (fun () -> Dense(0, 1, Relu()))
    throwsFor "outputSize" "must be positive" (fun () -> Dense(1, 0, Relu()))
    Assert.Throws<ArgumentNullException>(fun () -> Dense(1, 1, Unchecked.defaultof<Activation>) |> ignore) |> ignore
    let dense = Dense(2, 2, Relu())
    throwsFor "weights" "must have 2 rows" (fun () -> dense.SetParameters([| [| 1.0; 2.0 |] |], [| 0.0; 0.0 |]))
    throwsFor "biases" "must have 2 values" (fun () -> dense.SetParameters([| [| 1.0; 2.0 |]; [| 1.0; 2.0 |] |], [| 0.0 |]))
    throwsFor "weights" "weights[1] must have 2 values" (fun () -> dense.SetParameters([| [| 1.0; 2.0 |]; [| 1.0 |] |], [| 0.0; 0.0 |]))
    throwsFor "layers" "at least one layer" (fun () -> Network(Seq.empty<Layer>))
    throwsFor "layers" "layers[1] takes 3 inputs, but layers[0] gives 2 outputs" (fun () -> Network([ Dense(1, 2, Relu()) :> Layer; Dense(3, 1, Relu()) ]))
    throwsFor "sizes" "at least the input and output widths" (fun () -> Network.Dense([| 3 |], Relu(), Relu()))
    let network = Network.Dense([| 2; 3; 1 |], Relu(), Identity())
    Assert.Equal((2, 1, 13), (network.InputSize, network.OutputSize, network.ParameterCount))
    throwsFor "batch" "must be positive" (fun () -> dense.Forward(ReadOnlySpan [| 1.0; 2.0 |], 0).Length)
    throwsFor "input" "must be [batch=1, 2] = 2 values, but has 3" (fun () -> dense.Forward(ReadOnlySpan [| 1.0; 2.0; 3.0 |], 1).Length)

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
    throwsFor "scheme" "Unknown weight initialization" (fun () -> sample (enum<WeightInitialization> 9))

[<Fact>]
let ``activations check their spans and width`` () =
    let relu = Relu()
    throwsFor "width" "must be positive and divide the length of z (4)" (fun () -> relu.Forward(ReadOnlySpan(Array.zeroCreate 4), Span(Array.zeroCreate 4), 3))
    throwsFor "width" "but is 0" (fun () -> relu.Forward(ReadOnlySpan(Array.zeroCreate 4), Span(Array.zeroCreate 4), 0))
    throwsFor "a" "must hold at least 4 elements" (fun () -> relu.Forward(ReadOnlySpan(Array.zeroCreate 4), Span(Array.zeroCreate 3), 4))
    throwsFor "gradientZ" "must hold at least 2 elements" (fun () -> relu.Backward(ReadOnlySpan(Array.zeroCreate 2), ReadOnlySpan(Array.zeroCreate 2), ReadOnlySpan(Array.zeroCreate 2), Span(Array.zeroCreate 1), 2))
    Assert.Equal("relu", relu.ToString())
    Assert.Equal(0.5, relu.DistanceToKink -0.5)
    Assert.Equal(infinity, Tanh().DistanceToKink 0.0)
    Assert.True(Sigmoid().OutputsAreProbabilities && not (Sigmoid().OutputsSumToOne) && Softmax().OutputsSumToOne && not (Tanh().OutputsAreProbabilities))

[<Fact>]
let ``the registry lists by name, rejects unknown names listing the known ones, and refuses duplicate names`` () =
    let registry = Registry<Activation>.Builtin
    Assert.Equal<string list>(registry.Names |> List.ofSeq, registry.Names |> Seq.sort |> List.ofSeq)
    throwsFor "name" "expected one of: elu, gelu" (fun () -> registry.Get "nope")
    Assert.Same(registry.Get "relu", registry.Get "relu")
    let twice = Assert.Throws<InvalidOperationException>(fun () -> Registry<Activation>.FromAssemblies(typeof<Relu>.Assembly, typeof<Completeness.SlightlyWrongSigmoid>.Assembly) |> ignore)
    Assert.Contains("'sigmoid' is declared by both", twice.Message)

[<Fact>]
let ``the scalar numerics: log1p, the clamped log and log-sum-exp`` () =
    Assert.Equal(1e-20, Numerics.Log1p 1e-20)
    Assert.Equal(Math.Log 2.0, Numerics.Log1p 1.0, 15)
    Assert.True(abs (Numerics.Log1p 1e-10 - 9.9999999995e-11) <= 1e-25)
    Assert.Equal(-100.0, Numerics.ClampedLog 0.0)
    Assert.Equal(-100.0, Numerics.ClampedLog Numerics.MinProbability, 12)
    Assert.Equal(Math.Log 0.5, Numerics.ClampedLog 0.5)
    Assert.Equal(1000.0 + Math.Log 2.0, Numerics.LogSumExp(ReadOnlySpan [| 1000.0; 1000.0 |]), 12)
    Assert.Equal(Math.Log(Math.Exp 1.0 + Math.Exp 2.0), Numerics.LogSumExp(ReadOnlySpan [| 1.0; 2.0 |]), 14)

[<Fact>]
let ``losses: classification rules, reductions and target checks`` () =
    let correct (loss: Loss) (a: float[]) (y: float[]) = loss.IsCorrect(ReadOnlySpan a, ReadOnlySpan y)
    Assert.True(correct (BinaryCrossEntropy()) [| 0.5; 0.2 |] [| 1.0; 0.0 |])
    Assert.False(correct (BinaryCrossEntropy()) [| 0.49; 0.2 |] [| 1.0; 0.0 |])
    Assert.False(correct (BinaryCrossEntropy()) [| 0.9; 0.5 |] [| 1.0; 0.0 |])
    Assert.True(correct (CategoricalCrossEntropy()) [| 0.2; 0.5; 0.3 |] [| 0.0; 1.0; 0.0 |])
    Assert.True(correct (CategoricalCrossEntropy()) [| 0.4; 0.4; 0.2 |] [| 1.0; 0.0; 0.0 |])
    Assert.False(correct (SparseCategoricalCrossEntropy()) [| 0.4; 0.4; 0.2 |] [| 1.0 |])
    Assert.True(correct (Hinge()) [| 0.0; -0.1 |] [| 1.0; -1.0 |])
    Assert.False(correct (PerceptronLoss()) [| 0.0 |] [| -1.0 |])
    Assert.False(MeanSquaredError().HasAccuracy)
    Assert.Throws<NotSupportedException>(fun () -> correct (MeanSquaredError()) [| 1.0 |] [| 1.0 |] |> ignore) |> ignore
    let value (loss: Loss) (a: float[]) (y: float[]) = loss.Value(ReadOnlySpan a, ReadOnlySpan y)
    Assert.Equal(2.5, value (MeanSquaredError()) [| 1.0; 3.0 |] [| 0.0; 1.0 |])
    Assert.Equal(2.5, value (MeanSquaredError(SquaredErrorScale.HalfSum)) [| 1.0; 3.0 |] [| 0.0; 1.0 |])
    Assert.Equal(5.0, value (MeanSquaredError(SquaredErrorScale.Sum)) [| 1.0; 3.0 |] [| 0.0; 1.0 |])
    Assert.Equal(1.5, value (MeanAbsoluteError()) [| 1.0; 3.0 |] [| 0.0; 1.0 |])
    Assert.Equal((0.125 + 1.5) / 2.0, value (Huber()) [| 0.5; 3.0 |] [| 0.0; 1.0 |])
    Assert.Equal((0.125 + 2.0 * (3.0 - 1.0)) / 2.0, value (Huber 2.0) [| 0.5; 3.0 |] [| 0.0; 0.0 |])
    Assert.Equal(1.75, value (Hinge()) [| 0.5; 2.0 |] [| 1.0; -1.0 |])
    Assert.Equal(1.5, value (Hinge()) [| 0.5; 1.5 |] [| 1.0; -1.0 |])
    throwsFor "delta" "must be positive and finite" (fun () -> Huber 0.0)
    throwsFor "delta" "must be positive and finite" (fun () -> Huber infinity)
    let validate (loss: Loss) (y: float[]) outputs = loss.ValidateTarget(ReadOnlySpan y, outputs, 7)
    throwsFor "targets" "targets[7, 1] must lie in [0, 1] for the bce loss, but is 1.5" (fun () -> validate (BinaryCrossEntropy()) [| 0.0; 1.5 |] 2)
    throwsFor "targets" "targets row 7 must sum to 1" (fun () -> validate (CategoricalCrossEntropy()) [| 0.5; 0.4 |] 2)
    throwsFor "targets" "targets[7] must be an integer class label in [0, 2]" (fun () -> validate (SparseCategoricalCrossEntropy()) [| 3.0 |] 3)
    throwsFor "targets" "targets[7] must be an integer class label" (fun () -> validate (SparseCategoricalCrossEntropy()) [| 0.5 |] 3)
    throwsFor "targets" "targets[7, 0] must be −1 or +1 for the hinge loss" (fun () -> validate (Hinge()) [| 0.0 |] 1)
    validate (CategoricalCrossEntropy()) [| 0.25; 0.75 |] 2
    Assert.Equal("mse", MeanSquaredError().ToString())
    Assert.Equal(infinity, MeanSquaredError().KinkOffset(1.0, 2.0))
    Assert.Equal(-0.5, Huber().KinkOffset(1.5, 1.0))
    Assert.Equal(-2.0, Hinge().KinkOffset(-1.0, 1.0))

[<Fact>]
let ``the perceptron trick checks its neuron, data and settings, and reports when it does not converge`` () =
    let data = Dataset([| 1.0; 0.0; 0.0; 1.0; -1.0; 0.0; 0.0; -1.0 |], 2, [| 1.0; 1.0; 0.0; 0.0 |], 1)
    throwsFor "neuron" "one output and the step activation" (fun () -> PerceptronTrick.Train(Dense(2, 1, Sigmoid()), data, 1.0, 10, 0))
    throwsFor "neuron" "one output and the step activation" (fun () -> PerceptronTrick.Train(Dense(2, 2, Step()), data, 1.0, 10, 0))
    throwsFor "data" "must have 3 features" (fun () -> PerceptronTrick.Train(Dense(3, 1, Step()), data, 1.0, 10, 0))
    throwsFor "learningRate" "positive and finite" (fun () -> PerceptronTrick.Train(Dense(2, 1, Step()), data, 0.0, 10, 0))
    throwsFor "maxEpochs" "must not be negative" (fun () -> PerceptronTrick.Train(Dense(2, 1, Step()), data, 1.0, -1, 0))
    throwsFor "data" "targets[1] must be 0 or 1" (fun () -> PerceptronTrick.Train(Dense(2, 1, Step()), Dataset([| 1.0; 2.0; 3.0; 4.0 |], 2, [| 0.0; 2.0 |], 1), 1.0, 10, 0))
    // XOR is not linearly separable: the limit ends training.
    let xor = Dataset([| 0.0; 0.0; 0.0; 1.0; 1.0; 0.0; 1.0; 1.0 |], 2, [| 0.0; 1.0; 1.0; 0.0 |], 1)
    let result = PerceptronTrick.Train(Dense(2, 1, Step()), xor, 1.0, 25, 0)
    Assert.Equal((25, false), (result.Epochs, result.Converged))
    Assert.True(result.Updates >= 25)
    let solved = PerceptronTrick.Train(Dense(2, 1, Step()), data, 1.0, 10, 0)
    Assert.True(solved.Converged)

[<Fact>]
let ``evaluation gives the mean loss and the accuracy, in batches of any size`` () =
    let layer = Dense(1, 2, Softmax())
    layer.SetParameters([| [| 1.0 |]; [| -1.0 |] |], [| 0.0; 0.0 |])
    let network = Network([ layer :> Layer ])
    let data = Dataset([| 1.0; -1.0; 2.0 |], 1, [| 0.0; 0.0; 1.0 |], 1)
    let loss = SparseCategoricalCrossEntropy()
    for batch in [ 1; 2; 256 ] do
        let struct (value, accuracy) = Evaluation.Evaluate(network, loss, data, batch)
        Assert.Equal(1.0 / 3.0, accuracy.Value)
        let expected = (Math.Log(1.0 + exp -2.0) + Math.Log(1.0 + exp 2.0) + Math.Log(1.0 + exp 4.0)) / 3.0
        Assert.Equal(expected, value, 12)
    let struct (_, none) = Evaluation.Evaluate(Network.Dense([| 1; 1 |], Relu(), Identity()), MeanSquaredError(), Dataset([| 1.0 |], 1, [| 0.0 |], 1))
    Assert.False(none.HasValue)
    throwsFor "data" "at least one sample" (fun () -> Evaluation.Evaluate(network, loss, Dataset([||], 1, [||], 1)))
    throwsFor "batchSize" "must be positive" (fun () -> Evaluation.Evaluate(network, loss, data, 0))

[<Fact>]
let ``gradient check: the error measure, the tolerance and what it skips at kinks`` () =
    Assert.Equal(0.0, GradientCheck.RelativeError(1.0, 1.0, 1e-6))
    Assert.Equal(0.5, GradientCheck.RelativeError(1.0, 2.0, 1e-6))
    Assert.Equal(1e-3, GradientCheck.RelativeError(1e-9, 0.0, 1e-6), 15)
    let network = Network([ Dense(1, 1, Relu()) :> Layer ])
    throwsFor "tolerance" "must be positive" (fun () -> GradientCheck.Run(network, MeanSquaredError(), [| 1.0 |], [| 0.0 |], 1, 0.0))
    // A pre-activation 1e-4 from ReLU's kink: every stencil on the weight, the bias and the input straddles it.
    let layer = network.Layers[0] :?> Dense
    layer.SetParameters([| [| 1.0 |] |], [| -0.9999 |])
    let report = GradientCheck.Run(network, MeanSquaredError(), [| 1.0 |], [| 0.0 |], 1)
    Assert.Equal(3, report.SkippedAtKinks)
    Assert.True(report.Passed)
    Assert.Equal<string list>([ "layer 1"; "input" ], report.Groups |> Seq.map _.Group |> List.ofSeq)

[<Fact>]
let ``training options are validated one by one`` () =
    SgdOptions().Validate()
    for options, name in [ SgdOptions(MinImprovement = -1.0), "MinImprovement"; SgdOptions(MinImprovement = nan), "MinImprovement"
                           SgdOptions(ValidationFraction = -0.1), "ValidationFraction"; SgdOptions(Patience = -1), "Patience"
                           SgdOptions(Epochs = -1), "Epochs"; SgdOptions(BatchSize = -1), "BatchSize" ] do
        throwsFor name name (fun () -> options.Validate())
    let network = Network.Dense([| 1; 1 |], Relu(), Identity())
    throwsFor "data" "leaves none to train on" (fun () -> Sgd.Train(network, MeanSquaredError(), Dataset([| 1.0 |], 1, [| 0.0 |], 1), SgdOptions(ValidationFraction = 0.5)))
    throwsFor "data" "must have 1 target values per sample for the mse loss, but has 2" (fun () -> Sgd.Train(network, MeanSquaredError(), Dataset([| 1.0 |], 1, [| 0.0; 0.0 |], 2), SgdOptions()))
    Assert.Empty(Sgd.Train(network, MeanSquaredError(), Dataset([| 1.0 |], 1, [| 0.0 |], 1), SgdOptions(Epochs = 0)))

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
    throwsFor "outChannels" "must be positive" (fun () -> Conv2D(image, 0, 3, 3, 1, "same", Relu()))
    throwsFor "kernelHeight" "at least 1×1" (fun () -> Conv2D(image, 1, 0, 3, 1, "same", Relu()))
    throwsFor "stride" "must be positive" (fun () -> Conv2D(image, 1, 3, 3, 0, "same", Relu()))
    throwsFor "kernelHeight" "does not fit" (fun () -> Conv2D(image, 1, 8, 3, 1, "valid", Relu()))
    throwsFor "mode" "'valid', 'same' or a non-negative integer" (fun () -> Conv2D(image, 1, 3, 3, 1, "-1", Relu()))
    throwsFor "input" "positive channels, height and width" (fun () -> Conv2D(ImageShape(0, 3, 3), 1, 1, 1, 1, "valid", Relu()))
    Assert.Equal(ImageShape(2, 3, 2), (MaxPool2D(image, 2)).OutputShape)
    Assert.Equal(ImageShape(2, 6, 4), (AvgPool2D(image, 2, 1)).OutputShape)
    throwsFor "size" "does not fit" (fun () -> MaxPool2D(image, 6))
    throwsFor "size" "must be positive" (fun () -> AvgPool2D(image, -1))
    throwsFor "stride" "must be positive" (fun () -> MaxPool2D(image, 2, -1))
    Assert.Equal("[2, 7, 5]", image.ToString())

[<Fact>]
let ``layer specs reject unknown kinds and malformed settings`` () =
    let parse (json: string) = Topology.Decode((nonNull (Text.Json.Nodes.JsonNode.Parse json)).AsObject())
    Assert.Contains("Unknown layer type 'lstm'", Assert.Throws<FormatException>(fun () -> parse """{"type":"lstm"}""" |> ignore).Message)
    Assert.Contains("'inputs' must be a positive integer", Assert.Throws<FormatException>(fun () -> parse """{"type":"dense","inputs":0,"outputs":1,"activation":"relu"}""" |> ignore).Message)
    Assert.Contains("'activation' must be a name or an object with a name, but is 3", Assert.Throws<FormatException>(fun () -> parse """{"type":"dense","inputs":1,"outputs":1,"activation":3}""" |> ignore).Message)
    Assert.Contains("'input' must be 3 positive integers", Assert.Throws<FormatException>(fun () -> parse """{"type":"flatten","input":[1,2]}""" |> ignore).Message)
    Assert.Contains("Invalid conv2d layer", Assert.Throws<FormatException>(fun () -> parse """{"type":"conv2d","input":[1,2,2],"outChannels":1,"kernel":[3,3],"stride":1,"padding":"valid","activation":"relu"}""" |> ignore).Message)
    Assert.IsType<Dense>(parse """{"type":"dense","inputs":2,"outputs":3,"activation":"tanh"}""") |> ignore

[<Fact>]
let ``kernels reject negative dimensions and short buffers by name`` () =
    throwsFor "m" "must be non-negative, got m=-1" (fun () -> MatrixProducts.Multiply(ReadOnlySpan(Array.zeroCreate 1), ReadOnlySpan(Array.zeroCreate 1), Span(Array.zeroCreate 1), -1, 1, 1))
    throwsFor "b" "must hold at least 6 elements for shape [3, 2]" (fun () -> MatrixProducts.Multiply(ReadOnlySpan(Array.zeroCreate 3), ReadOnlySpan(Array.zeroCreate 5), Span(Array.zeroCreate 2), 1, 2, 3))
    throwsFor "c" "for shape [2, 2]" (fun () -> MatrixProducts.MultiplyTransposedB(ReadOnlySpan(Array.zeroCreate 2), ReadOnlySpan(Array.zeroCreate 2), Span(Array.zeroCreate 3), 2, 2, 1))
    throwsFor "a" "for shape [1, 2]" (fun () -> MatrixProducts.MultiplyTransposedA(ReadOnlySpan(Array.zeroCreate 1), ReadOnlySpan(Array.zeroCreate 2), Span(Array.zeroCreate 4), 2, 2, 1))
    throwsFor "y" "must hold at least 3 elements, but has 2" (fun () -> VectorOps.ScaledAdd(ReadOnlySpan(Array.zeroCreate 3), 1.0, Span(Array.zeroCreate 2)))
    throwsFor "matrix" "for shape [2, 3]" (fun () -> VectorOps.SumColumns(ReadOnlySpan(Array.zeroCreate 5), 2, 1.0, Span(Array.zeroCreate 3)))
    throwsFor "y" "must hold at least 3 elements, but has 2" (fun () -> VectorOps.SquaredDistance(ReadOnlySpan(Array.zeroCreate 3), ReadOnlySpan(Array.zeroCreate 2)) |> ignore)
    throwsFor "matrix" "for shape [2, 3]" (fun () -> VectorOps.AddToRows(Span(Array.zeroCreate 5), 2, ReadOnlySpan(Array.zeroCreate 3)))
    for length in 0 .. 4 * Numerics.Vector<float>.Count + 3 do
        let x = Array.init length (fun i -> float i + 0.5)
        Assert.Equal(Array.sum x, VectorOps.Sum(ReadOnlySpan x))
        let shifted = Array.copy x
        VectorOps.AddScalar(Span shifted, 2.0)
        Assert.Equal<float[]>(Array.map ((+) 2.0) x, shifted)
    // k = 0: the product is zero, or C unchanged when accumulating.
    let c = [| 5.0; 5.0 |]
    MatrixProducts.Multiply(ReadOnlySpan [||], ReadOnlySpan [||], Span c, 1, 2, 0, 1.0, true)
    Assert.Equal<float[]>([| 5.0; 5.0 |], c)
    MatrixProducts.MultiplyTransposedB(ReadOnlySpan [||], ReadOnlySpan [||], Span c, 1, 2, 0)
    Assert.Equal<float[]>([| 0.0; 0.0 |], c)
    let d = [| 5.0; 5.0 |]
    MatrixProducts.MultiplyTransposedA(ReadOnlySpan [||], ReadOnlySpan [||], Span d, 1, 2, 0)
    Assert.Equal<float[]>([| 0.0; 0.0 |], d)

/// A loss whose gradient is NaN while its value is finite, to show that training checks gradients too.
type NaNGradientLoss() =
    inherit Loss()
    override _.Name = "nan-gradient"
    override _.Value(_, _) = 1.0
    override _.Gradient(_, _, gradient) = gradient.Fill nan

/// The identity with a kink declared at 1, to pin down distances to a kink away from 0.
type KinkAtOne() =
    inherit ElementwiseActivation<Identity.Function>(Identity.Function())
    override _.Name = "kink-at-one"
    override _.Kinks = [| 1.0 |]

[<Fact>]
let ``one SGD epoch without shuffling equals the steps taken by hand, and reports the sample-weighted mean loss and the accuracy`` () =
    let make () =
        let network = Network.Dense([| 2; 3; 2 |], Tanh(), Softmax())
        network.Initialize(WeightInitialization.Glorot, 4)
        network
    let x = [| 0.5; -1.0; 1.5; 0.2; -0.3; 0.8; 1.0; 1.0; 0.0; -2.0 |]
    let y = [| 0.0; 1.0; 1.0; 0.0; 1.0 |]
    let loss = SparseCategoricalCrossEntropy()
    let trained = make ()
    let report = Sgd.Train(trained, loss, Dataset(x, 2, y, 1), SgdOptions(LearningRate = 0.3, BatchSize = 2, Epochs = 1, Shuffle = false))
    let manual = make ()
    let mutable lossSum, correct = 0.0, 0
    for start, rows in [ 0, 2; 2, 2; 4, 1 ] do
        let xs, ys = x[start * 2 .. (start + rows) * 2 - 1], y[start .. start + rows - 1]
        lossSum <- lossSum + float rows * manual.ComputeGradients(xs, ys, rows, loss)
        correct <- correct + Evaluation.CountCorrect(manual.Layers[1].Outputs, ReadOnlySpan ys, rows, 2, loss)
        Sgd.Step(manual, 0.3)
    Assert.Equal(1, report.Count)
    Assert.Equal(lossSum / 5.0, report[0].Loss, 15)
    Assert.Equal(float correct / 5.0, report[0].Accuracy.Value)
    Assert.Equal<float[]>(manual.Parameters |> Seq.collect _.Values |> Array.ofSeq, trained.Parameters |> Seq.collect _.Values |> Array.ofSeq)
    // With shuffling, the batches differ and so do the parameters.
    let shuffled = make ()
    Sgd.Train(shuffled, loss, Dataset(x, 2, y, 1), SgdOptions(LearningRate = 0.3, BatchSize = 2, Epochs = 1, Seed = 1)) |> ignore
    Assert.NotEqual<float[]>(manual.Parameters |> Seq.collect _.Values |> Array.ofSeq, shuffled.Parameters |> Seq.collect _.Values |> Array.ofSeq)

[<Fact>]
let ``training stops on a non-finite gradient even when the loss is finite, naming the parameter, before updating`` () =
    let network = Network.Dense([| 2; 2 |], Tanh(), Identity())
    network.Initialize(WeightInitialization.Glorot, 1)
    let before = network.Parameters |> Seq.collect _.Values |> Array.ofSeq
    let error = Assert.Throws<TrainingDivergedException>(fun () -> Sgd.Train(network, NaNGradientLoss(), Dataset([| 1.0; 2.0 |], 2, [| 0.0; 0.0 |], 2), SgdOptions()) |> ignore)
    Assert.Contains("epoch 1, batch 1: ∂C/∂weight[0] of layer 0 is NaN", error.Message)
    Assert.Equal((1, 1), (error.Epoch, error.Batch))
    Assert.Equal<float[]>(before, network.Parameters |> Seq.collect _.Values |> Array.ofSeq)

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
let ``distances to a kink are measured from the kink, wherever it is`` () =
    Assert.Equal(0.75, KinkAtOne().DistanceToKink 0.25)
    Assert.Equal(0.5, KinkAtOne().DistanceToKink 1.5)

[<Fact>]
let ``the gradient check reports counts, the worst value by name, and leaves out stencils across a loss's kink`` () =
    let network = Network.Dense([| 2; 3; 1 |], Tanh(), Identity())
    network.Initialize(WeightInitialization.Glorot, 3)
    let report = GradientCheck.Run(network, MeanSquaredError(), [| 0.5; -0.5; 1.0; 2.0 |], [| 0.3; -0.2 |], 2)
    Assert.Equal<int list>([ 9; 4; 4 ], report.Groups |> Seq.map _.Checked |> List.ofSeq)
    Assert.Equal<string list>([ "layer 1"; "layer 2"; "input" ], report.Groups |> Seq.map _.Group |> List.ofSeq)
    Assert.Matches(@"^(weight\[\d, \d\]|bias\[\d\])$", report.Groups[0].WorstAt)
    Assert.Matches(@"^input\[\d, \d\]$", report.Groups[2].WorstAt)
    Assert.True(report.Groups |> Seq.forall (fun g -> g.MaxError < 1e-9 && abs (g.Analytic - g.Numerical) <= 1e-9 * max 1.0 (abs g.Analytic)))
    Assert.Equal(0, report.SkippedAtKinks)
    // An output 1e-4 from MAE's corner at its target: the output layer's bias stencil and others straddle it.
    let output = network.Layers[1] :?> Dense
    let probe = [| 0.5; -0.5 |]
    network.Forward(ReadOnlySpan probe, 1).Length |> ignore
    let atTarget = [| network.Layers[1].Outputs[0] + 1e-4 |]
    let kinked = GradientCheck.Run(network, MeanAbsoluteError(), [| 0.5; -0.5 |], atTarget, 1)
    Assert.True(kinked.SkippedAtKinks > 0)
    Assert.True(kinked.Passed)
    ignore output
    // A tolerance equal to the worst error passes; anything below fails.
    let worst = report.Groups |> Seq.map _.MaxError |> Seq.max
    Assert.True((GradientCheckReport(report.Groups, worst, 0)).Passed)
    Assert.False((GradientCheckReport(report.Groups, worst / 2.0, 0)).Passed || worst = 0.0)

[<Fact>]
let ``the safetensors writer pads the header to 8 bytes and writes tensors larger than its buffer`` () =
    let network = Network.Dense([| 300; 5 |], Relu(), Identity())
    network.Initialize(WeightInitialization.Glorot, 2)
    use stream = new MemoryStream()
    ModelFile.Write(stream, network)
    let bytes = stream.ToArray()
    let length = int (BitConverter.ToUInt64(bytes, 0))
    let json = Text.Encoding.UTF8.GetString(bytes, 8, length)
    Assert.Equal(0, length % 8)
    Assert.True(length - json.TrimEnd(' ').Length < 8)
    Assert.Equal(8 + length + 8 * 1505, bytes.Length)
    let model = ModelFile.Read(ReadOnlySpan bytes)
    Assert.Equal<float[]>(network.Parameters[0].Values, model.Network.Parameters[0].Values)

[<Fact>]
let ``step(0) = 1, as the perceptron's ŷ = 1 for z ≥ 0`` () =
    let a = [| nan; nan |]
    Step().Forward(ReadOnlySpan [| 0.0; -1e-300 |], Span a, 2)
    Assert.Equal<float[]>([| 1.0; 0.0 |], a)

[<Fact>]
let ``CSV edge cases: one data line, no header when told so, the label column's range, too few columns`` () =
    let read text = CsvReader.Read(new StringReader(text), source = "t.csv")
    Assert.Equal(1, (read "1,2,0").Count)
    let error = Assert.Throws<DataFormatException>(fun () -> CsvReader.Read(new StringReader("a,b,c\n1,2,0"), hasHeader = false, source = "t.csv") |> ignore)
    Assert.Contains("line 1, column 1: 'a' is not a number", error.Message)
    Assert.Equal(1, (CsvReader.Read(new StringReader("5,6,7\n1,2,0"), hasHeader = true)).Count)
    throwsFor "labelColumn" "must select one of the 3 columns" (fun () -> CsvReader.Read(new StringReader("1,2,0"), labelColumn = 3))
    throwsFor "labelColumn" "must select one of the 3 columns" (fun () -> CsvReader.Read(new StringReader("1,2,0"), labelColumn = -4))
    Assert.Contains("at least one feature and a label", Assert.Throws<DataFormatException>(fun () -> read "1\n2" |> ignore).Message)
    Assert.Contains("t.csv: no data rows", Assert.Throws<DataFormatException>(fun () -> read "a,b" |> ignore).Message)

let private idxBytes (typeCode: byte) (dimensions: int list) (payload: byte[]) =
    Array.concat [ [| 0uy; 0uy; typeCode; byte dimensions.Length |]
                   dimensions |> List.toArray |> Array.collect (fun d -> BitConverter.GetBytes d |> Array.rev)
                   payload ]

[<Fact>]
let ``IDX edge cases: short files, rank 0, negative dimensions, signed and 16-bit and float types, mismatched label files`` () =
    let fails (bytes: byte[]) (fragment: string) =
        Assert.Contains(fragment, Assert.Throws<DataFormatException>(fun () -> IdxReader.Read(ReadOnlySpan bytes, "t.idx") |> ignore).Message)
    fails [| 0uy; 0uy; 8uy |] "3 bytes, too short for the 4-byte IDX magic number"
    fails [| 0uy; 0uy; 8uy; 0uy |] "byte 3: an IDX file needs at least one dimension"
    fails [| 0uy; 0uy; 8uy; 2uy; 0uy; 0uy; 0uy; 1uy |] "too short for the 2 dimensions"
    fails (idxBytes 0x08uy [ -1; 1 ] [||]) "byte 4: dimension 0 is negative (-1)"
    let read typeCode dims payload = let struct (_, v) = IdxReader.Read(ReadOnlySpan(idxBytes typeCode dims payload)) in v
    Assert.Equal<float[]>([| -1.0; 127.0 |], read 0x09uy [ 2 ] [| 255uy; 127uy |])
    Assert.Equal<float[]>([| -2.0; 258.0 |], read 0x0Buy [ 2 ] [| 255uy; 254uy; 1uy; 2uy |])
    Assert.Equal<float[]>([| 1.5; -2.0 |], read 0x0Duy [ 2 ] (Array.append (BitConverter.GetBytes 1.5f |> Array.rev) (BitConverter.GetBytes -2.0f |> Array.rev)))
    let folder = Path.Combine(Path.GetTempPath(), "verify-idx-" + Guid.NewGuid().ToString("N"))
    Directory.CreateDirectory folder |> ignore
    let write name (bytes: byte[]) = let path = Path.Combine(folder, name) in File.WriteAllBytes(path, bytes); path
    let images = write "i" (idxBytes 0x08uy [ 2; 2 ] [| 1uy; 2uy; 3uy; 4uy |])
    Assert.Contains("labels must be one-dimensional", Assert.Throws<DataFormatException>(fun () -> IdxReader.ReadDataset(images, write "l2" (idxBytes 0x08uy [ 2; 1 ] [| 1uy; 2uy |])) |> ignore).Message)
    Assert.Contains("has 2 images but l3 has 3 labels", Assert.Throws<DataFormatException>(fun () -> IdxReader.ReadDataset(images, write "l3" (idxBytes 0x08uy [ 3 ] [| 1uy; 2uy; 3uy |])) |> ignore).Message)
    Directory.Delete(folder, true)

[<Fact>]
let ``categorical targets must each lie in [0, 1] even when they sum to 1; the sparse gradient clears the other classes`` () =
    throwsFor "targets" "targets[0, 0] must lie in [0, 1]" (fun () -> CategoricalCrossEntropy().ValidateTarget(ReadOnlySpan [| 1.5; -0.5 |], 2, 0))
    let gradient = [| nan; nan; nan |]
    SparseCategoricalCrossEntropy().Gradient(ReadOnlySpan [| 0.2; 0.5; 0.3 |], ReadOnlySpan [| 1.0 |], Span gradient)
    Assert.Equal<float[]>([| 0.0; -2.0; 0.0 |], gradient)

[<Fact>]
let ``model files keep extra metadata, and reject a wrong format, a huge topology and non-finite parameters`` () =
    let network = Network.Dense([| 2; 2 |], Relu(), Identity())
    network.Initialize(WeightInitialization.Glorot, 1)
    use stream = new MemoryStream()
    ModelFile.Write(stream, network, null, null, readOnlyDict [ "data", "iris" ])
    let model = ModelFile.Read(ReadOnlySpan(stream.ToArray()))
    Assert.Equal("iris", model.Metadata["data"])
    Assert.Null(model.Loss)
    Assert.Null(model.Standardizer)
    // Written through SafeTensors directly, so that the metadata can say what ModelFile would not.
    let mutate (edit: Network -> unit) (metadata: (string * string) list) =
        let copy = Network.Dense([| 2; 2 |], Relu(), Identity())
        edit copy
        let topology = """[{"type":"dense","inputs":2,"outputs":2,"activation":"relu"}]"""
        let entries = readOnlyDict ([ "format", "verify-nn/1"; "topology", topology ] |> List.filter (fun (k, _) -> not (List.exists (fun (m, _) -> m = k) metadata)) |> List.append metadata)
        let tensors = [| for p in copy.Parameters -> Tensor("layers.0." + p.Name, Array.ofSeq p.Shape, p.Values) |]
        use s = new MemoryStream()
        SafeTensors.Write(s, tensors, entries)
        Assert.Throws<ModelFormatException>(fun () -> ModelFile.Read(ReadOnlySpan(s.ToArray())) |> ignore).Message
    Assert.Contains("holds NaN at index 0", mutate (fun n -> n.Parameters[0].Values[0] <- nan) [])
    Assert.Contains("holds Infinity at index 3", mutate (fun n -> n.Parameters[0].Values[3] <- infinity) [])
    Assert.Contains("does not declare format verify-nn/1 (found 'other')", mutate ignore [ "format", "other" ])
    let huge = "[" + String.Join(",", Array.create 1001 """{"type":"dense","inputs":2,"outputs":2,"activation":"relu"}""") + "]"
    Assert.Contains("The topology has 1001 layers", mutate ignore [ "topology", huge ])
    Assert.Throws<ArgumentNullException>(fun () -> ModelFile.Save(Path.Combine(Path.GetTempPath(), "never.safetensors"), Unchecked.defaultof<Network>)) |> ignore

[<Fact>]
let ``boundaries: a zero-width image, a kernel as wide as its input`` () =
    throwsFor "input" "positive channels, height and width, but is [1, 3, 0]" (fun () -> Flatten(ImageShape(1, 3, 0)))
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
let ``layer spec messages quote the value they reject, and lists refuse a zero`` () =
    let parse (json: string) = Topology.Decode((nonNull (Text.Json.Nodes.JsonNode.Parse json)).AsObject())
    let message json = Assert.Throws<FormatException>(fun () -> parse json |> ignore).Message
    Assert.Contains("'inputs' must be a positive integer, but is 0.", message """{"type":"dense","inputs":0,"outputs":1,"activation":"relu"}""")
    Assert.Contains("'activation' must be a name or an object with a name, but is 3.", message """{"type":"dense","inputs":1,"outputs":1,"activation":3}""")
    Assert.Contains("'input' must be 3 positive integers, but is [1,0,2].", message """{"type":"flatten","input":[1,0,2]}""")
    Assert.Contains("'inputs' must be a positive integer, but is missing.", message """{"type":"dense","outputs":1,"activation":"relu"}""")

[<Fact>]
let ``the network checks batch and shapes, naming the sizes it expected`` () =
    let network = Network.Dense([| 2; 2 |], Relu(), Softmax())
    throwsFor "batch" "must be positive" (fun () -> network.ValidateInputs(ReadOnlySpan [||], 0); 0)
    throwsFor "inputs" "inputs must be [batch=2, 2] = 4 values, but has 3" (fun () -> network.ValidateInputs(ReadOnlySpan [| 0.0; 0.0; 0.0 |], 2); 0)
    let loss = CategoricalCrossEntropy()
    throwsFor "targets" "targets must be [batch=2, 2] = 4 values for the cce loss on 2 outputs, but has 3" (fun () -> network.ValidateTargets(ReadOnlySpan [| 1.0; 0.0; 1.0 |], 2, loss); 0)
    throwsFor "targets" "targets must be [batch=1, 2]" (fun () -> network.Cost(ReadOnlySpan [| 0.0; 0.0 |], ReadOnlySpan [| 1.0 |], 1, loss))

[<Fact>]
let ``margin targets are −1 or +1; a binary target of 0.5 counts as class 1; hinge reports an accuracy`` () =
    let hinge = Registry<Loss>.Builtin.Get "hinge"
    hinge.ValidateTarget(ReadOnlySpan [| 1.0; -1.0 |], 2, 0)
    throwsFor "targets" "targets[3, 1] must be −1 or +1" (fun () -> hinge.ValidateTarget(ReadOnlySpan [| -1.0; 0.5 |], 2, 3); 0)
    let bce = BinaryCrossEntropy()
    Assert.True(bce.IsCorrect(ReadOnlySpan [| 0.7 |], ReadOnlySpan [| 0.5 |]))
    Assert.False(bce.IsCorrect(ReadOnlySpan [| 0.3 |], ReadOnlySpan [| 0.5 |]))
    let network = Network.Dense([| 1; 1 |], Relu(), Identity())
    let struct (_, accuracy) = Evaluation.Evaluate(network, hinge, Dataset([| 1.0; -1.0 |], 1, [| 1.0; -1.0 |], 1))
    Assert.True(accuracy.HasValue)

[<Fact>]
let ``evaluation reads wide targets row by row in every batch`` () =
    let layer = Dense(1, 2, Softmax())
    layer.SetParameters([| [| 1.0 |]; [| -1.0 |] |], [| 0.0; 0.0 |])
    let network = Network([ layer :> Layer ])
    // Predicted classes 0, 1, 0 against targets 0, 1, 1.
    let data = Dataset([| 1.0; -1.0; 2.0 |], 1, [| 1.0; 0.0; 0.0; 1.0; 0.0; 1.0 |], 2)
    for batch in [ 1; 2; 3 ] do
        let struct (_, accuracy) = Evaluation.Evaluate(network, CategoricalCrossEntropy(), data, batch)
        Assert.Equal(2.0 / 3.0, accuracy.Value)

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
let ``every product checks its dimensions and each of its three buffers`` () =
    let z (n: int) : float[] = Array.zeroCreate n
    let products : (string * (float[] -> float[] -> float[] -> int -> int -> int -> unit)) list =
        [ "A·Bᵀ", (fun a b c m n k -> MatrixProducts.MultiplyTransposedB(ReadOnlySpan a, ReadOnlySpan b, Span c, m, n, k))
          "A·B", (fun a b c m n k -> MatrixProducts.Multiply(ReadOnlySpan a, ReadOnlySpan b, Span c, m, n, k))
          "Aᵀ·B", (fun a b c m n k -> MatrixProducts.MultiplyTransposedA(ReadOnlySpan a, ReadOnlySpan b, Span c, m, n, k)) ]
    // m = 2, n = 3, k = 4: A has 8 values, B 12, C 6 in every layout.
    for _, product in products do
        throwsFor "m" "must be non-negative" (fun () -> product (z 8) (z 12) (z 6) 2 -3 4)
        throwsFor "a" "must hold at least 8 elements" (fun () -> product (z 7) (z 12) (z 6) 2 3 4)
        throwsFor "b" "must hold at least 12 elements" (fun () -> product (z 8) (z 11) (z 6) 2 3 4)
        throwsFor "c" "must hold at least 6 elements" (fun () -> product (z 8) (z 12) (z 5) 2 3 4)

[<Fact>]
let ``zero-sized kernels and images are refused by name`` () =
    let image = ImageShape(2, 7, 5)
    throwsFor "kernelHeight" "at least 1×1, but is 3×0" (fun () -> Conv2D(image, 1, 3, 0, 1, "same", Relu()))
    throwsFor "input" "but is [1, 0, 3]" (fun () -> Flatten(ImageShape(1, 0, 3)))
    throwsFor "size" "must be positive" (fun () -> MaxPool2D(image, 0))

[<Fact>]
let ``the finiteness scan reads only its span`` () =
    for length in 0 .. 4 * Numerics.Vector<float>.Count + 3 do
        let buffer = Array.append (Array.create length 1.0) [| nan; infinity |]
        Assert.Equal(-1, VectorOps.IndexOfNonFinite(ReadOnlySpan(buffer, 0, length)))

[<Fact>]
let ``settings, labels, layer kinds and classification rules are refused in words`` () =
    for options, message in [ SgdOptions(LearningRate = 0.0), "LearningRate must be positive and finite."
                              SgdOptions(BatchSize = 0), "BatchSize must be positive."
                              SgdOptions(Epochs = -1), "Epochs must not be negative."
                              SgdOptions(ValidationFraction = 1.0), "ValidationFraction must lie in [0, 1)."
                              SgdOptions(Patience = 0), "Patience must be positive."
                              SgdOptions(MinImprovement = -1.0), "MinImprovement must be non-negative and finite." ] do
        Assert.Contains(message, (Assert.ThrowsAny<ArgumentException>(fun () -> options.Validate())).Message)
    Assert.EndsWith("lower the learning rate or standardize the inputs.", TrainingDivergedException(1, 2, "x").Message)
    let wide = Dataset([| 1.0 |], 1, [| 0.0; 1.0 |], 2)
    Assert.Equal("OneHot needs one label per sample, but targets are 2 wide.", (Assert.Throws<InvalidOperationException>(fun () -> wide.OneHot 2 |> ignore)).Message)
    let parse (json: string) = Topology.Decode((nonNull (Text.Json.Nodes.JsonNode.Parse json)).AsObject())
    let unknown = Assert.Throws<FormatException>(fun () -> parse """{"type":"lstm"}""" |> ignore).Message
    Assert.Contains("Unknown layer type 'lstm'; expected one of: ", unknown)
    Assert.Contains("dense, ", unknown)
    Assert.Contains("Layer setting 'input' must be 3 positive integers, but is missing.", Assert.Throws<FormatException>(fun () -> parse """{"type":"flatten"}""" |> ignore).Message)
    Assert.Contains("Layer setting 'activation' must be a name or an object with a name, but is missing.", Assert.Throws<FormatException>(fun () -> parse """{"type":"dense","inputs":1,"outputs":1}""" |> ignore).Message)
    Assert.Equal("The mse loss defines no classification rule.", (Assert.Throws<NotSupportedException>(fun () -> MeanSquaredError().IsCorrect(ReadOnlySpan [| 1.0 |], ReadOnlySpan [| 1.0 |]) |> ignore)).Message)
