/// SGD and the perceptron trick: arguments, hold-out, early stopping, divergence, evaluation, allocation, determinism.
[<Xunit.Collection("alone")>]
module Facts.Training

open System
open Xunit
open Engine
open Engine.Activations
open Engine.Data
open Engine.Diagnostics
open Engine.Losses
open Engine.Networks
open Engine.Optimizers
open Engine.Serialization
open Engine.Training
open Engine.Verification
open Facts.Support

/// y = x on n points in (0, 1].
let private line n = let xs = Array.init n (fun i -> float (i + 1) / float n) in Dataset(xs, 1, Array.copy xs, 1)

let private fresh () =
    let network = Network.Dense([| 1; 1 |], Relu(), Identity())
    network.Initialize(WeightInitialization.Glorot, 3)
    network

[<Fact>]
let ``SGD refuses null arguments by name`` () =
    let data, loss, options = line 4, MeanSquaredError(), TrainingOptions()
    let cases : (string * (unit -> obj)) list =
        [ "network", (fun () -> Trainer.Train(Unchecked.defaultof<Network>, loss, data, options))
          "loss", (fun () -> Trainer.Train(fresh (), Unchecked.defaultof<Loss>, data, options))
          "options", (fun () -> Trainer.Train(fresh (), loss, data, Unchecked.defaultof<TrainingOptions>))
          "data", (fun () -> Trainer.Train(fresh (), loss, Unchecked.defaultof<Dataset>, options)) ]
    for name, action in cases do
        Assert.Equal(name, (Assert.Throws<ArgumentNullException>(fun () -> action () |> ignore)).ParamName)

[<Fact>]
let ``divergence names the batch where the loss overflowed`` () =
    let data = Dataset([| 0.1; 0.2; 1e300; 0.3 |], 1, [| 0.0; 0.0; 0.0; 0.0 |], 1)
    let error = Assert.Throws<TrainingDivergedException>(fun () ->
        Trainer.Train(fresh (), MeanSquaredError(), data, TrainingOptions(BatchSize = 1, Shuffle = false, Epochs = 1)) |> ignore)
    Assert.Equal((1, 3), (error.Epoch, error.Batch))
    mentions [ "batch 3"; "loss" ] error.Message

[<Fact>]
let ``the validation part is round(fraction·count) samples drawn by the seed, and must leave some to train on`` () =
    throwsFor "data" [ "ValidationFraction 0.95"; "10 samples" ] (fun () ->
        Trainer.Train(fresh (), MeanSquaredError(), line 10, TrainingOptions(ValidationFraction = 0.95)))
    let data = line 20
    let network = fresh ()
    let reports = Trainer.Train(network, MeanSquaredError(), data, TrainingOptions(ValidationFraction = 0.25, Epochs = 1, Seed = 7))
    // The documented draw: the seed's generator first shuffles the sample indices; the first round(0.25·20) = 5 are held out.
    let order = Array.init 20 id
    Random(7).Shuffle(order)
    let struct (expected, _) = Evaluation.Evaluate(network, MeanSquaredError(), data.Select(order[..4]))
    Assert.Equal(expected, reports[0].ValidationLoss.Value)

[<Fact>]
let ``early stopping: an equal loss is no improvement, and training stops after exactly Patience such epochs`` () =
    // A learning rate of 1e-300 leaves every parameter unchanged, so every validation loss is the same.
    let options = TrainingOptions(LearningRate = 1e-300, Epochs = 10, ValidationFraction = 0.25, Patience = 2, MinImprovement = 0.0)
    let reports = Trainer.Train(fresh (), MeanSquaredError(), line 20, options)
    Assert.Equal(3, reports.Count)

[<Fact>]
let ``early stopping: a gain below MinImprovement is no improvement, and the best epoch's parameters are restored`` () =
    let options = TrainingOptions(LearningRate = 1e-3, Epochs = 10, ValidationFraction = 0.25, Patience = 2, MinImprovement = 1.0, Seed = 2)
    let stopped = fresh ()
    let reports = Trainer.Train(stopped, MeanSquaredError(), line 20, options)
    Assert.Equal(3, reports.Count)
    Assert.True(reports[2].ValidationLoss.Value < reports[0].ValidationLoss.Value, "the loss still fell, by less than MinImprovement")
    let firstEpoch = fresh ()
    Trainer.Train(firstEpoch, MeanSquaredError(), line 20, TrainingOptions(LearningRate = 1e-3, Epochs = 1, ValidationFraction = 0.25, Patience = 2, MinImprovement = 1.0, Seed = 2)) |> ignore
    Assert.Equal<float[]>(values firstEpoch, values stopped)

[<Fact>]
let ``early stopping holds out a validation fraction, stops after Patience epochs without improvement and restores the best parameters`` () =
    let random = Random 11
    // Noisy labels that a wide network can memorize: the validation loss rises after a while.
    let x = Array.init (120 * 4) (fun _ -> random.NextDouble() * 2.0 - 1.0)
    let y = Array.init 120 (fun i -> if x[i * 4] + 0.3 * (random.NextDouble() - 0.5) > 0.0 then 1.0 else 0.0)
    let network = Network.Dense([| 4; 64; 2 |], Tanh(), Softmax())
    network.Initialize(WeightInitialization.Glorot, 5)
    let options = TrainingOptions(LearningRate = 0.5, BatchSize = 8, Epochs = 500, Seed = 2, ValidationFraction = 0.25, Patience = 5)
    let snapshots = ResizeArray<float[][]>()
    let reports = Trainer.Train(network, SparseCategoricalCrossEntropy(), Dataset(x, 4, y, 1), options, fun _ -> snapshots.Add(parameters network))
    Assert.True(reports.Count < 500, sprintf "ran all %d epochs" reports.Count)
    let losses = reports |> Seq.map (fun r -> r.ValidationLoss.Value) |> Array.ofSeq
    let bestEpoch = Array.findIndex ((=) (Array.min losses)) losses
    // It stopped Patience epochs after the best one (improvements smaller than MinImprovement do not count).
    Assert.True(losses.Length - 1 - bestEpoch >= options.Patience, sprintf "best epoch %d of %d" (bestEpoch + 1) losses.Length)
    Assert.True(Array.forall2 (fun (a: float[]) b -> a = b) snapshots[bestEpoch] (parameters network), "the best epoch's parameters were not restored")

[<Fact>]
let ``invalid training settings are rejected by name before anything changes`` () =
    let network = Network.Dense([| 2; 3; 1 |], Tanh(), Identity())
    network.Initialize(WeightInitialization.Glorot, 1)
    let before = parameters network
    let data = Dataset([| 1.0; 2.0; 3.0; 4.0 |], 2, [| 0.5; 0.1 |], 1)
    let cases =
        [ TrainingOptions(LearningRate = 0.0), "LearningRate"; TrainingOptions(LearningRate = -1.0), "LearningRate"; TrainingOptions(LearningRate = nan), "LearningRate"
          TrainingOptions(LearningRate = infinity), "LearningRate"; TrainingOptions(BatchSize = 0), "BatchSize"; TrainingOptions(Epochs = -1), "Epochs"
          TrainingOptions(ValidationFraction = 1.0), "ValidationFraction"; TrainingOptions(Patience = 0), "Patience" ]
    for options, name in cases do
        let error = Assert.ThrowsAny<ArgumentException>(fun () -> Trainer.Train(network, MeanSquaredError(), data, options) |> ignore)
        Assert.Equal(name, error.ParamName)
    let empty = Assert.Throws<ArgumentException>(fun () -> Trainer.Train(network, MeanSquaredError(), Dataset([||], 2, [||], 1), TrainingOptions()) |> ignore)
    mentions [ "one sample" ] empty.Message
    let wrongWidth = Assert.Throws<ArgumentException>(fun () -> Trainer.Train(network, MeanSquaredError(), Dataset([| 1.0; 2.0; 3.0 |], 3, [| 0.0 |], 1), TrainingOptions()) |> ignore)
    mentions [ "2 features" ] wrongWidth.Message
    Assert.True(Array.forall2 (fun (a: float[]) b -> a = b) before (parameters network))

[<Fact>]
let ``training options are validated one by one`` () =
    TrainingOptions().Validate()
    for options, name in [ TrainingOptions(MinImprovement = -1.0), "MinImprovement"; TrainingOptions(MinImprovement = nan), "MinImprovement"
                           TrainingOptions(ValidationFraction = -0.1), "ValidationFraction"; TrainingOptions(Patience = -1), "Patience"
                           TrainingOptions(Epochs = -1), "Epochs"; TrainingOptions(BatchSize = -1), "BatchSize" ] do
        throwsFor name [ name ] (fun () -> options.Validate())
    let network = Network.Dense([| 1; 1 |], Relu(), Identity())
    throwsFor "data" [ "none to train on" ] (fun () -> Trainer.Train(network, MeanSquaredError(), Dataset([| 1.0 |], 1, [| 0.0 |], 1), TrainingOptions(ValidationFraction = 0.5)))
    throwsFor "data" [ "1 target values"; "mse"; "has 2" ] (fun () -> Trainer.Train(network, MeanSquaredError(), Dataset([| 1.0 |], 1, [| 0.0; 0.0 |], 2), TrainingOptions()))
    Assert.Empty(Trainer.Train(network, MeanSquaredError(), Dataset([| 1.0 |], 1, [| 0.0 |], 1), TrainingOptions(Epochs = 0)))

/// A loss whose gradient is NaN while its value is finite, to show that training checks gradients too.
type NaNGradientLoss() =
    inherit Loss()
    override _.Name = "nan-gradient"
    override _.Value(_, _) = 1.0
    override _.Gradient(_, _, gradient) = gradient.Fill nan

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
    let report = Trainer.Train(trained, loss, Dataset(x, 2, y, 1), TrainingOptions(LearningRate = 0.3, BatchSize = 2, Epochs = 1, Shuffle = false))
    let manual = make ()
    let mutable lossSum, correct = 0.0, 0
    for start, rows in [ 0, 2; 2, 2; 4, 1 ] do
        let xs, ys = x[start * 2 .. (start + rows) * 2 - 1], y[start .. start + rows - 1]
        lossSum <- lossSum + float rows * manual.ComputeGradients(xs, ys, rows, loss)
        correct <- correct + Evaluation.CountCorrect(manual.Layers[1].Outputs, ReadOnlySpan ys, rows, 2, loss)
        Sgd().Bind(manual).Step(0.3)
    Assert.Equal(1, report.Count)
    Assert.Equal(lossSum / 5.0, report[0].Loss, 15)
    Assert.Equal(float correct / 5.0, report[0].Accuracy.Value)
    Assert.Equal<float[]>(manual.Parameters |> Seq.collect _.Values |> Array.ofSeq, trained.Parameters |> Seq.collect _.Values |> Array.ofSeq)
    // With shuffling, the batches differ and so do the parameters.
    let shuffled = make ()
    Trainer.Train(shuffled, loss, Dataset(x, 2, y, 1), TrainingOptions(LearningRate = 0.3, BatchSize = 2, Epochs = 1, Seed = 1)) |> ignore
    Assert.NotEqual<float[]>(manual.Parameters |> Seq.collect _.Values |> Array.ofSeq, shuffled.Parameters |> Seq.collect _.Values |> Array.ofSeq)

[<Fact>]
let ``training stops on a non-finite gradient even when the loss is finite, naming the parameter, before updating`` () =
    let network = Network.Dense([| 2; 2 |], Tanh(), Identity())
    network.Initialize(WeightInitialization.Glorot, 1)
    let before = network.Parameters |> Seq.collect _.Values |> Array.ofSeq
    let error = Assert.Throws<TrainingDivergedException>(fun () -> Trainer.Train(network, NaNGradientLoss(), Dataset([| 1.0; 2.0 |], 2, [| 0.0; 0.0 |], 2), TrainingOptions()) |> ignore)
    mentions [ "epoch 1"; "batch 1"; "weight[0]"; "layer 0"; "NaN" ] error.Message
    Assert.Equal((1, 1), (error.Epoch, error.Batch))
    Assert.Equal<float[]>(before, network.Parameters |> Seq.collect _.Values |> Array.ofSeq)

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
    throwsFor "data" [ "one sample" ] (fun () -> Evaluation.Evaluate(network, loss, Dataset([||], 1, [||], 1)))
    throwsFor "batchSize" [ "positive" ] (fun () -> Evaluation.Evaluate(network, loss, data, 0))

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

[<Fact>]
let ``the perceptron trick checks its neuron, data and settings, and reports when it does not converge`` () =
    let data = Dataset([| 1.0; 0.0; 0.0; 1.0; -1.0; 0.0; 0.0; -1.0 |], 2, [| 1.0; 1.0; 0.0; 0.0 |], 1)
    throwsFor "neuron" [ "one output"; "step" ] (fun () -> PerceptronTrick.Train(Dense(2, 1, Sigmoid()), data, 1.0, 10, 0))
    throwsFor "neuron" [ "one output"; "step" ] (fun () -> PerceptronTrick.Train(Dense(2, 2, Step()), data, 1.0, 10, 0))
    throwsFor "data" [ "3 features" ] (fun () -> PerceptronTrick.Train(Dense(3, 1, Step()), data, 1.0, 10, 0))
    throwsFor "learningRate" [ "positive"; "finite" ] (fun () -> PerceptronTrick.Train(Dense(2, 1, Step()), data, 0.0, 10, 0))
    throwsFor "maxEpochs" [ "negative" ] (fun () -> PerceptronTrick.Train(Dense(2, 1, Step()), data, 1.0, -1, 0))
    throwsFor "data" [ "targets[1]"; "0 or 1" ] (fun () -> PerceptronTrick.Train(Dense(2, 1, Step()), Dataset([| 1.0; 2.0; 3.0; 4.0 |], 2, [| 0.0; 2.0 |], 1), 1.0, 10, 0))
    // XOR is not linearly separable: the limit ends training.
    let xor = Dataset([| 0.0; 0.0; 0.0; 1.0; 1.0; 0.0; 1.0; 1.0 |], 2, [| 0.0; 1.0; 1.0; 0.0 |], 1)
    let result = PerceptronTrick.Train(Dense(2, 1, Step()), xor, 1.0, 25, 0)
    Assert.Equal((25, false), (result.Epochs, result.Converged))
    Assert.True(result.Updates >= 25)
    let solved = PerceptronTrick.Train(Dense(2, 1, Step()), data, 1.0, 10, 0)
    Assert.True(solved.Converged)

[<Fact>]
let ``the perceptron may be given zero epochs, and its seed orders the samples`` () =
    let random = Random 5
    let points = Array.init 40 (fun _ -> random.NextDouble() * 2.0 - 1.0)
    let labels = Array.init 20 (fun i -> if points[2 * i] + points[2 * i + 1] > 0.1 then 1.0 else 0.0)
    let data = Dataset(points, 2, labels, 1)
    let none = PerceptronTrick.Train(Dense(2, 1, Step()), data, 1.0, 0, 0)
    Assert.Equal((0, 0, false), (none.Epochs, none.Updates, none.Converged))
    let trainWith seed =
        let neuron = Dense(2, 1, Step())
        PerceptronTrick.Train(neuron, data, 1.0, 1, seed) |> ignore
        Array.append neuron.Weights neuron.Biases
    Assert.NotEqual<float[]>(trainWith 1, trainWith 2)

/// Warms up, then asserts that 20 steps (forward, backward with the input gradient, the optimizer's update, and the gradient
/// diagnostics when asked) allocate 0 bytes, counted by `allocatedBy` (a console program running these steps beside a thread
/// that allocates saw another thread's collection move this thread's count by 200 to 8,176 bytes in about one window in 300
/// outside a no-GC region, and never inside one).
let assertStepsAllocateNothingWithOptimizer (optimizer: Optimizer) (diagnostics: bool) (network: Network) (batch: int) =
    let random = Random 1
    let x = Array.init (batch * network.InputSize) (fun _ -> random.NextDouble())
    let y = Array.init batch (fun _ -> float (random.Next network.OutputSize))
    let loss = SparseCategoricalCrossEntropy()
    let observer = if diagnostics then Some(GradientDiagnostics network) else None
    let state = optimizer.Bind network
    let step () =
        network.ComputeGradients(ReadOnlySpan x, ReadOnlySpan y, batch, loss, true) |> ignore
        state.Step 0.01
        match observer with
        | Some d -> d.Observe(); d.Mean |> ignore
        | None -> ()
    for _ in 1 .. 3 do step ()
    Assert.Equal(0L, allocatedBy (64L * 1024L * 1024L) "20 steps" (fun () () -> for _ in 1 .. 20 do step ()))

let assertStepsAllocateNothingWith = assertStepsAllocateNothingWithOptimizer (Sgd())
let assertStepsAllocateNothing = assertStepsAllocateNothingWith false

/// Every registered optimizer, each with 8 hyperparameter sets drawn by the kit from the run seed (combinations a constructor
/// refuses drawn again), then its defaults.
let private everyOptimizer () =
    let registry = Registry<Optimizer>.Builtin
    [ for name in registry.Names do
        let drawn =
            Draw.componentOf registry [ name ]
            |> FsCheck.FSharp.Gen.map (fun c -> try Some(Draw.create registry c) with :? ArgumentException -> None)
            |> FsCheck.FSharp.Gen.sampleWithSeed (FsCheck.Rnd(Seeds.forCheck Seeds.run ("every optimizer " + name))) 10 40
        yield! drawn |> Seq.choose id |> Seq.truncate 8
        yield registry.Get name ]

[<Fact>]
let ``a training step allocates 0 bytes after warm-up with every optimizer and drawn hyperparameters, a frozen parameter included`` () =
    for optimizer in everyOptimizer () do
        let network = Network.Dense([| 64; 16; 10 |], Sigmoid(), Softmax())
        network.Initialize(WeightInitialization.Glorot, 1)
        network.Parameters[1].Frozen <- true
        try assertStepsAllocateNothingWithOptimizer optimizer false network 8
        with e -> failwithf "%O (run seed %d): %s" optimizer Seeds.run e.Message

[<Fact>]
let ``a training step (forward, backward, SGD update) allocates 0 bytes after warm-up`` () =
    let network = Network.Dense([| 784; 16; 16; 10 |], Sigmoid(), Softmax())
    network.Initialize(WeightInitialization.Glorot, 1)
    assertStepsAllocateNothing network 32

[<Fact>]
let ``a convolutional training step allocates 0 bytes after warm-up`` () =
    let conv = Conv2D(ImageShape(1, 8, 8), 4, 3, 3, 1, "same", Relu())
    let pool = MaxPool2D(conv.OutputShape, 2)
    let flatten = Flatten(pool.OutputShape)
    let network = Network([ conv :> Layer; pool; flatten; Dense(flatten.OutputSize, 10, Softmax()) ])
    network.Initialize(WeightInitialization.He, 1)
    assertStepsAllocateNothing network 8

[<Fact>]
let ``a training step observed by the gradient diagnostics allocates 0 bytes after warm-up, dense (sigmoid, softmax) and convolutional (ReLU)`` () =
    let dense = Network.Dense([| 784; 16; 16; 10 |], Sigmoid(), Softmax())
    dense.Initialize(WeightInitialization.Glorot, 1)
    assertStepsAllocateNothingWith true dense 32
    let conv = Conv2D(ImageShape(1, 8, 8), 4, 3, 3, 1, "same", Relu())
    let pool = MaxPool2D(conv.OutputShape, 2)
    let flatten = Flatten(pool.OutputShape)
    let network = Network([ conv :> Layer; pool; flatten; Dense(flatten.OutputSize, 10, Softmax()) ])
    network.Initialize(WeightInitialization.He, 1)
    assertStepsAllocateNothingWith true network 8

[<Fact>]
let ``settings, labels, layer kinds and classification rules are refused in words`` () =
    for options, name, expected in [ TrainingOptions(LearningRate = 0.0), "LearningRate", [ "positive"; "finite" ]
                                     TrainingOptions(BatchSize = 0), "BatchSize", [ "positive" ]
                                     TrainingOptions(Epochs = -1), "Epochs", [ "negative" ]
                                     TrainingOptions(ValidationFraction = 1.0), "ValidationFraction", [ "[0, 1)" ]
                                     TrainingOptions(Patience = 0), "Patience", [ "positive" ]
                                     TrainingOptions(MinImprovement = -1.0), "MinImprovement", [ "non-negative"; "finite" ] ] do
        mentions (name :: expected) (Assert.ThrowsAny<ArgumentException>(fun () -> options.Validate())).Message
    mentions [ "epoch 1"; "batch 2"; "x"; "learning rate"; "standardize" ] (TrainingDivergedException(1, 2, "x").Message)
    let wide = Dataset([| 1.0 |], 1, [| 0.0; 1.0 |], 2)
    mentions [ "OneHot"; "one label per sample"; "2 wide" ] (Assert.Throws<InvalidOperationException>(fun () -> wide.OneHot 2 |> ignore)).Message
    mentions [ "'lstm'"; "dense"; "conv2d" ] (Assert.Throws<FormatException>(fun () -> parseLayer """{"type":"lstm"}""" |> ignore).Message)
    mentions [ "'input'"; "3 positive integers"; "missing" ] (Assert.Throws<FormatException>(fun () -> parseLayer """{"type":"flatten"}""" |> ignore).Message)
    mentions [ "'activation'"; "name"; "missing" ] (Assert.Throws<FormatException>(fun () -> parseLayer """{"type":"dense","inputs":1,"outputs":1}""" |> ignore).Message)
    mentions [ "mse"; "classification rule" ] (Assert.Throws<NotSupportedException>(fun () -> MeanSquaredError().IsCorrect(ReadOnlySpan [| 1.0 |], ReadOnlySpan [| 1.0 |]) |> ignore)).Message

[<Fact>]
let ``a training step whose products run on two threads allocates 0 bytes after warm-up`` () =
    let network = Network.Dense([| 300; 160; 10 |], Relu(), Softmax())
    network.Initialize(WeightInitialization.He, 5)
    network.Threads <- 2
    Assert.True(64.0 * 300.0 * 160.0 >= Engine.Kernels.ProductThreads.MinimumParallelWork)
    assertStepsAllocateNothing network 64

[<Fact>]
let ``training is bit-identical on 1, 2 and 3 threads, with every optimizer, coupled decay included`` () =
    // The first layer's 301 · 161 = 48,461 weights, not a multiple of any vector width, are enough for the optimizer to update
    // them in slices (OptimizerState.Threads).
    Assert.True(301.0 * 161.0 >= Engine.Kernels.RangeThreads.MinimumParallelWork)
    let train (optimizer: Optimizer) threads =
        let network = Network.Dense([| 301; 161; 10 |], Relu(), Softmax())
        network.Threads <- threads
        network.Initialize(WeightInitialization.He, 5)
        let state = optimizer.Bind network
        Assert.Equal(threads, state.Threads)
        let batch = 64
        let random = Random 6
        let x = Array.init (batch * 301) (fun _ -> random.NextDouble())
        let y = Array.init batch (fun _ -> float (random.Next 10))
        for _ in 1 .. 5 do
            network.ComputeGradients(ReadOnlySpan x, ReadOnlySpan y, batch, SparseCategoricalCrossEntropy()) |> ignore
            state.Step 0.05
        values network
    let coupledDecay = Sgd(0.9, 0.0, true, 0.01, false) :> Optimizer
    for optimizer in Seq.append Registry<Optimizer>.Builtin.All [ coupledDecay ] do
        let one = train optimizer 1
        for threads in [ 2; 3 ] do Facts.Kernels.assertBitIdentical (sprintf "%O: parameters after 5 steps on %d threads" optimizer threads) one (train optimizer threads)

/// A CNN whose convolution products, one per batch, are large enough to be split over threads.
let private threadedCnn () =
    let first = Conv2D(ImageShape(1, 8, 8), 8, 3, 3, 1, "same", Relu())
    let second = Conv2D(first.OutputShape, 16, 3, 3, 1, "same", Relu())
    let pool = MaxPool2D(second.OutputShape, 2)
    let flatten = Flatten(pool.OutputShape)
    Network([ first :> Layer; second; pool; flatten; Dense(flatten.OutputSize, 10, Softmax()) ])

[<Fact>]
let ``CNN training, its convolution products split over threads, is bit-identical on 1, 2 and 3 threads`` () =
    let batch = 32
    // The second convolution's forward product: 16 kernels × (32 samples · 64 positions) × 72 values per window.
    Assert.True(16.0 * float (batch * 64) * 72.0 >= Engine.Kernels.ProductThreads.MinimumParallelWork)
    let train threads =
        let network = threadedCnn ()
        network.Threads <- threads
        network.Initialize(WeightInitialization.He, 5)
        let random = Random 6
        let x = Array.init (batch * 64) (fun _ -> random.NextDouble())
        let y = Array.init batch (fun _ -> float (random.Next 10))
        let sgd = Sgd().Bind network
        for _ in 1 .. 3 do
            network.ComputeGradients(ReadOnlySpan x, ReadOnlySpan y, batch, SparseCategoricalCrossEntropy(), true) |> ignore
            sgd.Step 0.05
        Array.append (values network) (network.InputGradient.ToArray())
    let one = train 1
    for threads in [ 2; 3 ] do Facts.Kernels.assertBitIdentical (sprintf "parameters and input gradient after 3 steps on %d threads" threads) one (train threads)

[<Fact>]
let ``a CNN training step whose convolution products run on two threads allocates 0 bytes after warm-up`` () =
    let network = threadedCnn ()
    network.Initialize(WeightInitialization.He, 1)
    network.Threads <- 2
    assertStepsAllocateNothing network 32

[<Fact>]
let ``the same seed gives a bit-identical training run`` () =
    let run () =
        let random = Random 5
        let data = Dataset(Array.init (50 * 6) (fun _ -> Numerics.StandardNormal random), 6, Array.init 50 (fun i -> float (i % 3)), 1)
        let network = Network.Dense([| 6; 7; 3 |], Tanh(), Softmax())
        network.Initialize(WeightInitialization.Glorot, 9)
        let reports = Trainer.Train(network, SparseCategoricalCrossEntropy(), data, TrainingOptions(LearningRate = 0.1, BatchSize = 8, Epochs = 5, Seed = 3))
        network.Parameters |> Seq.collect _.Gradient |> Array.ofSeq, values network, reports |> Seq.map _.Loss |> Array.ofSeq
    Assert.Equal(run (), run ())

[<Fact>]
let ``an optimizer state shows each parameter's buffers and step; a default view holds none and refuses an index`` () =
    let network = Network.Dense([| 3; 2 |], Tanh(), Softmax())
    let state = Adam().Bind network
    network.ComputeGradients(ReadOnlySpan [| 0.1; 0.2; 0.3 |], ReadOnlySpan [| 1.0 |], 1, SparseCategoricalCrossEntropy()) |> ignore
    state.Step 0.1
    let weights = state[0]
    Assert.Equal(2, weights.Count)
    Assert.Equal(1L, weights.Step)
    Assert.Equal(6, weights[1].Length)
    // Bound to a network, the state follows its thread count; bound to parameters alone, it updates on one thread.
    network.Threads <- 3
    Assert.Equal(3, state.Threads)
    Assert.Equal(1, Adam().Bind([ network.Parameters[0] ], [ "w" ]).Threads)
    let empty = Unchecked.defaultof<ParameterState>
    Assert.Equal(0, empty.Count)
    for index in [ -1; 0; 2 ] do
        let at = if index = 2 then weights else empty
        Assert.Equal("index", (Assert.Throws<ArgumentOutOfRangeException>(fun () -> at[index].Length |> ignore)).ParamName)

[<Fact>]
let ``a frozen parameter is left unchanged by training, while its gradient is still computed and the others move`` () =
    let network = Network.Dense([| 3; 4; 2 |], Tanh(), Softmax())
    network.Initialize(WeightInitialization.Glorot, 4)
    let random = Random 4
    let data = Dataset(Array.init 60 (fun _ -> random.NextDouble() - 0.5), 3, Array.init 20 (fun i -> float (i % 2)), 1)
    let frozen = network.Parameters[0]
    frozen.Frozen <- true
    let before = parameters network
    let mutable gradientSeen = false
    Trainer.Train(network, SparseCategoricalCrossEntropy(), data, TrainingOptions(LearningRate = 0.5, BatchSize = 4, Epochs = 3),
              afterStep = fun () -> gradientSeen <- gradientSeen || Array.exists ((<>) 0.0) frozen.Gradient) |> ignore
    Assert.Equal<float[]>(before[0], frozen.Values)
    Assert.True(gradientSeen, "the frozen weight's gradient was never computed")
    for p in 1 .. before.Length - 1 do Assert.NotEqual<float[]>(before[p], network.Parameters[p].Values)

/// A schedule whose rate is the negated initial rate.
type NegatedRate() =
    inherit Engine.Schedules.Schedule()
    override _.Name = "negated"
    override _.Rate(initialRate, _, _) = -initialRate

[<Fact>]
let ``a schedule's negative rate stops the epoch naming the schedule, the rate and the epoch, and the run then refuses another epoch`` () =
    let run = TrainingRun(fresh (), MeanSquaredError(), line 4, TrainingOptions(Schedule = NegatedRate(), LearningRate = 0.1))
    mentions [ "negated"; "-0.1"; "epoch 1" ] (Assert.Throws<InvalidOperationException>(fun () -> run.RunEpoch() |> ignore)).Message
    mentions [ "earlier epoch" ] (Assert.Throws<InvalidOperationException>(fun () -> run.RunEpoch() |> ignore)).Message

[<Fact>]
let ``resuming refuses a null checkpoint, a negative epoch count, early-stopping parameters that do not fit the settings, and a missing, misshapen or non-finite tensor, naming it; a checkpoint of epoch 0 resumes`` () =
    let data = Dataset(Array.init 12 (fun i -> float i / 12.0), 2, Array.init 6 (fun i -> float (i % 2)), 1)
    let loss = SparseCategoricalCrossEntropy()
    let build () = Network.Dense([| 2; 3; 2 |], Tanh(), Softmax())
    let checkpoint = TrainingRun(build (), loss, data, TrainingOptions(BatchSize = 2, Epochs = 2, ValidationFraction = 0.34)).Checkpoint()
    let resume (c: TrainingCheckpoint) = TrainingRun.Resume(build (), loss, data, c)
    Assert.Equal(0, (resume checkpoint).EpochsDone)
    Assert.Equal("checkpoint", Assert.Throws<ArgumentNullException>(fun () -> resume (Unchecked.defaultof<TrainingCheckpoint>) |> ignore).ParamName)
    let changed epochs (parameters: Tensor seq) (best: Tensor seq) =
        TrainingCheckpoint(checkpoint.Options, epochs, checkpoint.Stopped, Array.ofSeq parameters, checkpoint.OptimizerState,
                           checkpoint.BestValidationLoss, checkpoint.EpochsWithoutImprovement, Array.ofSeq best)
    let weight = checkpoint.Parameters[0]
    let replaced (tensors: Tensor seq) (by: Tensor option) =
        [ for t in tensors do if t.Name <> weight.Name then t elif by.IsSome then by.Value ]
    throwsFor "checkpoint" [ "EpochsDone"; "negative"; "-1" ] (fun () -> resume (changed -1 checkpoint.Parameters checkpoint.BestParameters))
    throwsFor "checkpoint" [ "has no early-stopping parameters"; "0.34" ] (fun () -> resume (changed 0 checkpoint.Parameters []))
    throwsFor "checkpoint" [ "lacks the parameter"; $"'{weight.Name}'" ] (fun () -> resume (changed 0 (replaced checkpoint.Parameters None) checkpoint.BestParameters))
    let transposed = Tensor(weight.Name, Array.rev weight.Shape, Array.copy weight.Values)
    throwsFor "checkpoint" [ $"parameter '{weight.Name}'"; "[2, 3]"; "[3, 2]" ] (fun () -> resume (changed 0 (replaced checkpoint.Parameters (Some transposed)) checkpoint.BestParameters))
    let notFinite = Tensor(weight.Name, weight.Shape, Array.init weight.Values.Length (fun i -> if i = 0 then nan else 0.0))
    throwsFor "checkpoint" [ $"early-stopping parameter '{weight.Name}'"; "NaN"; "index 0" ] (fun () -> resume (changed 0 checkpoint.Parameters (replaced checkpoint.BestParameters (Some notFinite))))

[<Fact>]
let ``before an epoch is validated, restoring the best parameters leaves the network as it is`` () =
    let network = fresh ()
    let run = TrainingRun(network, MeanSquaredError(), line 10, TrainingOptions(ValidationFraction = 0.2))
    network.Initialize(WeightInitialization.Glorot, 4)
    let reinitialized = values network
    run.RestoreBest()
    Assert.Equal<float[]>(reinitialized, values network)

[<Fact>]
let ``an epoch trains each batch's rows on their own wide targets, as the steps taken by hand`` () =
    let make () =
        let network = Network.Dense([| 1; 2 |], Identity(), Identity())
        network.Initialize(WeightInitialization.Glorot, 5)
        network
    let x, y = [| 0.5; -1.0; 1.5; 0.25 |], [| 1.0; 0.0; 0.0; 1.0; 0.5; 0.5; -1.0; 2.0 |]
    let trained = make ()
    Trainer.Train(trained, MeanSquaredError(), Dataset(x, 1, y, 2), TrainingOptions(LearningRate = 0.1, BatchSize = 2, Epochs = 1, Shuffle = false)) |> ignore
    let manual = make ()
    let state = Sgd().Bind manual
    for start in [ 0; 2 ] do
        manual.ComputeGradients(ReadOnlySpan(x, start, 2), ReadOnlySpan(y, 2 * start, 4), 2, MeanSquaredError()) |> ignore
        state.Step 0.1
    Assert.Equal<float[]>(values manual, values trained)

[<Fact>]
let ``evaluation reads wide feature rows in every batch`` () =
    let network = Network.Dense([| 2; 2 |], Relu(), Softmax())
    network.Initialize(WeightInitialization.Glorot, 2)
    let data = Dataset([| 1.0; -1.0; 2.0; 0.5; -0.5; 3.0 |], 2, [| 0.0; 1.0; 1.0 |], 1)
    let struct (whole, accuracy) = Evaluation.Evaluate(network, SparseCategoricalCrossEntropy(), data)
    for batch in [ 1; 2 ] do
        let struct (value, batched) = Evaluation.Evaluate(network, SparseCategoricalCrossEntropy(), data, batch)
        // The mean sums the same three costs in batches, so only the rounding of the sums differs (a few ulps of a value
        // below 10); a row read at the wrong offset changes the loss in its first digits.
        Assert.Equal(whole, value, 14)
        Assert.Equal(accuracy, batched)

[<Fact>]
let ``gradient clipping refuses null parameters by name, before the limit`` () =
    Assert.Equal("parameters", Assert.Throws<ArgumentNullException>(fun () -> GradientClipping.ClipByGlobalNorm(Unchecked.defaultof<Collections.Generic.IReadOnlyList<Parameter>>, 0.0) |> ignore).ParamName)
    Assert.Equal("parameters", Assert.Throws<ArgumentNullException>(fun () -> GradientClipping.GlobalNorm(Unchecked.defaultof<Collections.Generic.IReadOnlyList<Parameter>>) |> ignore).ParamName)
