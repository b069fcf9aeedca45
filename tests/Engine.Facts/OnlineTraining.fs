/// Per-sample training (Training.OnlineTraining) against the loop it replaces: ComputeGradients on each sample, then Step.
module Facts.OnlineTraining

open System
open Xunit
open Engine.Activations
open Engine.Losses
open Engine.Networks
open Engine.Optimizers
open Engine.Training

/// A network, its optimizer state, and everything the two runs must agree on: every parameter's values and gradient, and the
/// optimizer's state tensors, as bits.
let private state (network: Network) (optimizer: OptimizerState) =
    let bits (values: float[]) = values |> Array.map BitConverter.DoubleToInt64Bits
    [ for p in network.Parameters do yield bits p.Values; yield bits p.Gradient
      for tensor in optimizer.Save() do yield bits tensor.Values ]

/// Two copies of a network built by `build`, initialized alike, each with its optimizer; `count` random samples and targets.
let private twins (build: unit -> Network) (optimizer: Optimizer) (loss: Loss) count seed =
    let make () =
        let network = build ()
        network.Initialize(WeightInitialization.Glorot, seed)
        network, optimizer.Bind network
    let random = Random seed
    let (network: Network), _ = make ()
    let inputs = Array.init (count * network.InputSize) (fun _ -> random.NextDouble() * 2.0 - 1.0)
    let targets =
        Array.init count (fun _ ->
            match loss with
            | :? SparseCategoricalCrossEntropy -> [| float (random.Next network.OutputSize) |]
            | :? BinaryCrossEntropy -> Array.init network.OutputSize (fun _ -> float (random.Next 2))
            | _ -> Array.init network.OutputSize (fun _ -> random.NextDouble()))
        |> Array.concat
    // Gradients left by an earlier pass of a sample not among these, as a run in the middle of training finds them: a stale
    // gradient must not be applied, nor left where the loop would write one.
    let primed () =
        let (network: Network), optimizer = make ()
        let earlier = Array.init network.InputSize (fun i -> 0.25 - 0.1 * float i)
        network.ComputeGradients(ReadOnlySpan earlier, ReadOnlySpan(targets, 0, targets.Length / count), 1, loss) |> ignore
        network, optimizer
    primed (), primed (), inputs, targets

/// The loop OnlineTraining replaces, and the costs it sees.
let private loop (network: Network) (optimizer: OptimizerState) (inputs: float[]) (targets: float[]) count (loss: Loss) rate =
    let width, targetWidth = network.InputSize, targets.Length / count
    [ for t in 0 .. count - 1 do
          let cost = network.ComputeGradients(ReadOnlySpan(inputs, t * width, width), ReadOnlySpan(targets, t * targetWidth, targetWidth), 1, loss)
          optimizer.Step rate
          yield cost ]

// Widths that leave a scalar tail in each row of W (13 inputs) and rows outside the 4-row blocks (6 and 9 neurons), the W1 shape,
// and a convolution first (never fused); plain SGD (fused) and SGD with momentum or decay (the loop).
let private cases : (string * (unit -> Network) * Optimizer * Loss) list =
    [ "[13, 6, 3] sigmoid, softmax", (fun () -> Network.Dense([| 13; 6; 3 |], Sigmoid(), Softmax())), Sgd(), SparseCategoricalCrossEntropy()
      "[784, 16, 16, 10] sigmoid, softmax", (fun () -> Network.Dense([| 784; 16; 16; 10 |], Sigmoid(), Softmax())), Sgd(), SparseCategoricalCrossEntropy()
      "[8, 9, 2] tanh, sigmoid", (fun () -> Network.Dense([| 8; 9; 2 |], Tanh(), Sigmoid())), Sgd(), BinaryCrossEntropy()
      "[5, 4] identity", (fun () -> Network.Dense([| 5; 4 |], Identity(), Identity())), Sgd(), MeanSquaredError()
      "[13, 6, 3] with momentum", (fun () -> Network.Dense([| 13; 6; 3 |], Sigmoid(), Softmax())), Sgd(0.9, 0.0, false, 0.0, false), SparseCategoricalCrossEntropy()
      "[13, 6, 3] with weight decay", (fun () -> Network.Dense([| 13; 6; 3 |], Relu(), Softmax())), Sgd(0.0, 0.0, false, 0.01, false), SparseCategoricalCrossEntropy()
      "convolution first", (fun () -> let conv = Conv2D(ImageShape(1, 4, 4), 2, 3, 3, 1, "same", Relu()) in Network([ conv :> Layer; Flatten(conv.OutputShape); Dense(32, 3, Softmax()) ])), Sgd(), SparseCategoricalCrossEntropy() ]

[<Fact>]
let ``per-sample training leaves every parameter, gradient, optimizer state and cost of the loop, bit for bit`` () =
    for name, build, optimizer, loss in cases do
        for count in [ 1; 2; 17 ] do
            let (network, state1), (twin, state2), inputs, targets = twins build optimizer loss count 7
            let costs = loop network state1 inputs targets count loss 0.3
            let mean = OnlineTraining.Run(twin, state2, ReadOnlySpan inputs, ReadOnlySpan targets, count, loss, 0.3)
            Assert.True((state network state1 = state twin state2), sprintf "%s, %d samples: the states differ" name count)
            Assert.Equal(BitConverter.DoubleToInt64Bits(List.sum costs / float count), BitConverter.DoubleToInt64Bits mean)
            // The network goes on as the loop's would: the next forward pass is of the next input, not of a product left behind.
            let probe = Array.init network.InputSize (fun i -> float i / 10.0)
            Assert.Equal<float>(network.Forward(ReadOnlySpan probe, 1).ToArray(), twin.Forward(ReadOnlySpan probe, 1).ToArray())
            // And so does the next backward pass: every gradient written, none deferred.
            let target = ReadOnlySpan(targets, 0, targets.Length / count)
            network.ComputeGradients(ReadOnlySpan probe, target, 1, loss) |> ignore
            twin.ComputeGradients(ReadOnlySpan probe, target, 1, loss) |> ignore
            Assert.True((state network state1 = state twin state2), sprintf "%s, %d samples: the next backward pass differs" name count)

[<Fact>]
let ``a refused sample stops per-sample training where the loop stops, with the loop's parameters and gradients`` () =
    // An input is refused after the forward pass (its pre-activations are not finite), a label before it.
    for name, build, optimizer, loss in cases |> List.take 2 do
        for bad, part in List.allPairs [ 0; 1; 5; 9 ] [ "input"; "label" ] do
            let (network, state1), (twin, state2), inputs, targets = twins build optimizer loss 10 3
            let width = network.InputSize
            if part = "input" then inputs[bad * width + width / 2] <- nan else targets[bad] <- float network.OutputSize
            let expected = Assert.ThrowsAny<ArgumentException>(fun () -> loop network state1 inputs targets 10 loss 0.1 |> ignore)
            let actual =
                Assert.ThrowsAny<ArgumentException>(fun () ->
                    OnlineTraining.Run(twin, state2, ReadOnlySpan inputs, ReadOnlySpan targets, 10, loss, 0.1) |> ignore)
            Assert.Equal((expected.ParamName, expected.Message), (actual.ParamName, actual.Message))
            Assert.True((state network state1 = state twin state2), sprintf "%s, %s of sample %d refused: the states differ" name part bad)
            let probe = Array.init width (fun i -> float i / 10.0)
            Assert.Equal<float>(network.Forward(ReadOnlySpan probe, 1).ToArray(), twin.Forward(ReadOnlySpan probe, 1).ToArray())
            let target = ReadOnlySpan(targets, (bad + 1) % 10 * (targets.Length / 10), targets.Length / 10)
            network.ComputeGradients(ReadOnlySpan probe, target, 1, loss) |> ignore
            twin.ComputeGradients(ReadOnlySpan probe, target, 1, loss) |> ignore
            Assert.True((state network state1 = state twin state2), sprintf "%s, %s of sample %d refused: the next backward pass differs" name part bad)

[<Fact>]
let ``a state bound to some parameters only trains those, on the loop: the fused pass is for a state bound to the network`` () =
    let network = Network.Dense([| 13; 6; 3 |], Sigmoid(), Softmax())
    network.Initialize(WeightInitialization.Glorot, 7)
    let last = network.Layers[1].Parameters
    let state = Sgd().Bind(last, [ for p in last -> p.Name ])
    let first = [ for p in network.Layers[0].Parameters -> Array.copy p.Values ]
    let random = Random 7
    let inputs = Array.init (4 * 13) (fun _ -> random.NextDouble())
    OnlineTraining.Run(network, state, ReadOnlySpan inputs, ReadOnlySpan [| 0.0; 1.0; 2.0; 1.0 |], 4, SparseCategoricalCrossEntropy(), 0.3) |> ignore
    Assert.Equal<float[] list>(first, [ for p in network.Layers[0].Parameters -> p.Values ])
    Assert.Equal(4L, state.Steps)

[<Fact>]
let ``a frozen first weight is left unchanged by per-sample training, as by the loop`` () =
    let network = Network.Dense([| 13; 6; 3 |], Sigmoid(), Softmax())
    network.Initialize(WeightInitialization.Glorot, 7)
    let weight = network.Layers[0].Parameters[0]
    weight.Frozen <- true
    let before = Array.copy weight.Values
    let inputs = Array.init (4 * 13) (fun i -> float (i % 5) / 5.0)
    OnlineTraining.Run(network, Sgd().Bind network, ReadOnlySpan inputs, ReadOnlySpan [| 0.0; 1.0; 2.0; 1.0 |], 4, SparseCategoricalCrossEntropy(), 0.3) |> ignore
    Assert.Equal<float[]>(before, weight.Values)

[<Fact>]
let ``per-sample training refuses null arguments, no samples, and inputs or targets of another size, by name`` () =
    let network = Network.Dense([| 2; 2 |], Sigmoid(), Softmax())
    let state, loss = Sgd().Bind network, SparseCategoricalCrossEntropy()
    let run (network: Network) (state: OptimizerState) (loss: Loss) (inputs: float[]) (targets: float[]) count =
        OnlineTraining.Run(network, state, ReadOnlySpan inputs, ReadOnlySpan targets, count, loss, 0.1) |> ignore
    for name, action in [ "network", (fun () -> run (Unchecked.defaultof<Network>) state loss [| 0.0; 0.0 |] [| 0.0 |] 1)
                          "optimizer", (fun () -> run network (Unchecked.defaultof<OptimizerState>) loss [| 0.0; 0.0 |] [| 0.0 |] 1)
                          "loss", (fun () -> run network state (Unchecked.defaultof<Loss>) [| 0.0; 0.0 |] [| 0.0 |] 1) ] do
        Assert.Equal(name, Assert.Throws<ArgumentNullException>(action).ParamName)
    Facts.Support.throwsFor "count" [ "positive" ] (fun () -> run network state loss [||] [||] 0)
    Facts.Support.throwsFor "inputs" [ "count=2"; "4 values"; "has 3" ] (fun () -> run network state loss [| 0.0; 0.0; 0.0 |] [| 0.0; 1.0 |] 2)
    Facts.Support.throwsFor "targets" [ "count=2, 2]"; "4 values"; "has 1" ] (fun () -> run network state (CategoricalCrossEntropy()) [| 0.0; 0.0; 0.0; 0.0 |] [| 0.0 |] 2)
