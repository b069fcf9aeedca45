/// The trainer around the optimizers: gradient clipping by global norm, the schedule's rate per epoch, and checkpoints from
/// which a run resumes bit-identically, for every optimizer and schedule with drawn hyperparameters.
module TrainerProperties

open System
open Xunit
open Xunit.Abstractions
open FsCheck
open FsCheck.FSharp
open Engine
open Engine.Activations
open Engine.Data
open Engine.Losses
open Engine.Networks
open Engine.Optimizers
open Engine.Schedules
open Engine.Training
open Engine.Verification

let private parameters (network: Network) = network.Parameters |> Seq.map (fun p -> Array.copy p.Values) |> Array.ofSeq

/// Gradients drawn over many magnitudes on parameters of random sizes, some frozen.
let private gradientSets = gen {
    let! sizes = Gen.nonEmptyListOf (Gen.choose (1, 40))
    let! seed = Gen.choose (0, 1_000_000)
    let! magnitude = Gen.choose (-6, 6)
    let random = Random seed
    return
        sizes |> List.mapi (fun k n ->
            let parameter = Networks.Parameter((if k % 2 = 0 then "weight" else "bias"), n)
            for i in 0 .. n - 1 do parameter.Gradient[i] <- Engine.Numerics.StandardNormal random * Math.Pow(10.0, float magnitude)
            parameter.Frozen <- random.Next 5 = 0
            parameter) }

let private norm (parameters: Parameter list) =
    sqrt (parameters |> List.sumBy (fun p -> if p.Frozen then 0.0 else Array.sumBy (fun g -> g * g) p.Gradient))

let checkClipping (parameters: Parameter list, exponent: int) =
            let before = parameters |> List.map (fun p -> Array.copy p.Gradient)
            let original = norm parameters
            // Thresholds around the norm: far below, far above, and at it (the engine's own value of it).
            let maxNorm = if exponent = 0 then GradientClipping.GlobalNorm(Array.ofList parameters) else original * Math.Pow(10.0, float exponent)
            if maxNorm = 0.0 then NotBuilt "every drawn gradient is frozen"
            else
            let reported = GradientClipping.ClipByGlobalNorm(Array.ofList parameters, maxNorm)
            let after = norm parameters
            let scale = maxNorm / (reported + GradientClipping.Epsilon)
            let expected (p: Parameter) (g: float[]) = if p.Frozen || reported <= maxNorm then g else Array.map (fun x -> x * scale) g
            // The reported norm is the reference's up to summation order (1e-12); the scaled gradients are each one product;
            // the norm after clipping is maxNorm·norm/(norm + 1e-6), below maxNorm by far more than its summation rounding.
            (abs (reported - original) <= 1e-12 * original
             && List.forall2 (fun (p: Parameter) g -> p.Gradient = expected p g) parameters before
             && after <= original
             && (reported > maxNorm || List.forall2 (fun (p: Parameter) g -> p.Gradient = g) parameters before)
             && (reported <= maxNorm || after <= maxNorm))
            |> fun passed -> Suite.holds passed (fun () -> sprintf "norm %g, maxNorm %g, after %g" original maxNorm after)

[<Fact>]
let ``the global norm is exact where the squares overflow, and refuses a threshold that is not positive`` () =
    let parameter = Networks.Parameter("weight", 2)
    parameter.Gradient[0] <- 3e200
    parameter.Gradient[1] <- 4e200
    Assert.Equal(5e200, GradientClipping.GlobalNorm [ parameter ], 1e186)
    GradientClipping.ClipByGlobalNorm([ parameter ], 1.0) |> ignore
    Assert.Equal(1.0, GradientClipping.GlobalNorm [ parameter ], 12)
    for bad in [ 0.0; -1.0; nan; infinity ] do
        Assert.Equal("maxNorm", Assert.Throws<ArgumentOutOfRangeException>(fun () -> GradientClipping.ClipByGlobalNorm([ parameter ], bad) |> ignore).ParamName)

let private data () =
    let random = Random 4
    Dataset(Array.init (40 * 4) (fun _ -> Engine.Numerics.StandardNormal random), 4, Array.init 40 (fun i -> float (i % 3)), 1)

let private network (seed: int) =
    let network = Network.Dense([| 4; 6; 3 |], Tanh(), Softmax())
    network.Initialize(WeightInitialization.Glorot, seed)
    network

[<Fact>]
let ``with clipping, every plain SGD step moves the parameters by at most γ·maxNorm`` () =
    let trained = network 1
    let steps = ResizeArray<float[][]>([ parameters trained ])
    let options = TrainingOptions(LearningRate = 0.5, BatchSize = 5, Epochs = 2, Seed = 1, MaxGradientNorm = Nullable 0.01)
    let run = TrainingRun(trained, SparseCategoricalCrossEntropy(), data (), options)
    run.RunEpoch() |> ignore
    // One epoch is 8 steps of batch 5; the whole epoch moves by at most 8·γ·maxNorm, and without clipping by much more.
    let moved (a: float[][]) (b: float[][]) = sqrt (Array.sum (Array.map2 (fun (x: float[]) y -> Array.sum (Array.map2 (fun u v -> (u - v) * (u - v)) x y)) a b))
    let clippedDistance = moved steps[0] (parameters trained)
    Assert.True(clippedDistance <= 8.0 * 0.5 * 0.01, sprintf "moved %g" clippedDistance)
    let free = network 1
    TrainingRun(free, SparseCategoricalCrossEntropy(), data (), TrainingOptions(LearningRate = 0.5, BatchSize = 5, Epochs = 2, Seed = 1)).RunEpoch() |> ignore
    Assert.True(moved steps[0] (parameters free) > 8.0 * 0.5 * 0.01)

[<Fact>]
let ``the schedule sets each epoch's rate: full-batch SGD with exponential decay is θ ← θ − γ₀γᵗ·g at epoch t`` () =
    let trained, manual = network 2, network 2
    let loss = SparseCategoricalCrossEntropy()
    let all = data ()
    Trainer.Train(trained, loss, all, TrainingOptions(LearningRate = 0.3, BatchSize = 40, Epochs = 4, Shuffle = false, Schedule = Exponential(0.5))) |> ignore
    let state = Sgd().Bind manual
    for t in 0 .. 3 do
        manual.ComputeGradients(all.Features, all.Targets, 40, loss) |> ignore
        state.Step(0.3 * Math.Pow(0.5, float t))
    Assert.Equal<float[][]>(parameters manual, parameters trained)

/// Options drawn over every optimizer and schedule (hyperparameters drawn), batch size, shuffling, clipping and early stopping.
let private runs = gen {
    let! optimizer = OptimizerProperties.anyOptimizer
    let! schedule = ScheduleProperties.anySchedule
    let! k = Gen.choose (0, 100)
    let! batch = Gen.choose (1, 16)
    let! epochs = Gen.choose (2, 8)
    let! seed = Gen.choose (0, 1_000_000)
    let! shuffle = Gen.elements [ true; false ]
    let! validation = Gen.elements [ 0.0; 0.25 ]
    let! patience = Gen.choose (1, 3)
    let! clip = Gen.elements [ None; Some 0.5 ]
    let! split = Gen.choose (1, epochs - 1)
    let options =
        TrainingOptions(Optimizer = optimizer, Schedule = schedule, LearningRate = 1e-3 * Math.Pow(300.0, float k / 100.0), BatchSize = batch,
                        Epochs = epochs, Seed = seed, Shuffle = shuffle, ValidationFraction = validation, Patience = patience,
                        MaxGradientNorm = Option.toNullable clip)
    return options, split }

let checkResume (options: TrainingOptions, split: int) =
            let loss = SparseCategoricalCrossEntropy()
            let uninterrupted = network 3
            let expected = Trainer.Train(uninterrupted, loss, data (), options)
            let interrupted = network 3
            let run = TrainingRun(interrupted, loss, data (), options)
            let first = [ while not run.Finished && run.EpochsDone < split do yield run.RunEpoch() ]
            let checkpoint = run.Checkpoint()
            // The interrupted run goes on a little: the checkpoint is a copy.
            if not run.Finished then run.RunEpoch() |> ignore
            let fresh = network 99
            let rest = Trainer.Resume(fresh, loss, data (), checkpoint)
            Suite.holds (List.ofSeq expected = first @ List.ofSeq rest && parameters fresh = parameters uninterrupted)
                (fun () -> sprintf "the run resumed from epoch %d differs from the uninterrupted one" split)

type Tests(output: ITestOutputHelper) =
    [<Fact>]
    member _.``clipping never increases the norm, is the identity at or below the threshold, and else scales every gradient by maxNorm/(norm + 1e-6)`` () =
        Suite.check output "trainer: gradient clipping by global norm" 300 [] (fun () -> []) (Arb.fromGen (Gen.zip gradientSets (Gen.choose (-3, 3)))) checkClipping

    [<Fact>]
    member _.``a run checkpointed after any epoch and resumed into a fresh network is bit-identical to the uninterrupted run`` () =
        Suite.check output "trainer: training resumed from a checkpoint" 100 [] (fun () -> []) (Arb.fromGen runs) checkResume

[<Fact>]
let ``a checkpoint carries the epochs, the optimizer state and the early-stopping bests, and refuses a network it does not fit`` () =
    let optionsWith epochs validation = TrainingOptions(Optimizer = Adam(), LearningRate = 0.01, Epochs = epochs, ValidationFraction = validation, Seed = 2)
    let options = optionsWith 5 0.25
    let withOptions (o: TrainingOptions) (c: TrainingCheckpoint) =
        TrainingCheckpoint(o, c.EpochsDone, c.Stopped, c.Parameters, c.OptimizerState, c.BestValidationLoss, c.EpochsWithoutImprovement, c.BestParameters)
    let run = TrainingRun(network 1, SparseCategoricalCrossEntropy(), data (), options)
    run.RunEpoch() |> ignore
    run.RunEpoch() |> ignore
    let checkpoint = run.Checkpoint()
    Assert.Equal(2, checkpoint.EpochsDone)
    Assert.Equal<string list>([ "layers.0.weight"; "layers.0.bias"; "layers.1.weight"; "layers.1.bias" ], checkpoint.Parameters |> Seq.map _.Name |> List.ofSeq)
    Assert.Equal<string list>([ "layers.0.weight"; "layers.0.bias"; "layers.1.weight"; "layers.1.bias" ], checkpoint.BestParameters |> Seq.map _.Name |> List.ofSeq)
    Assert.Equal(float run.Optimizer.Steps, (checkpoint.OptimizerState |> Seq.find (fun t -> t.Name = "step")).Values[0])
    Assert.True(Double.IsFinite checkpoint.BestValidationLoss)
    let wider = Network.Dense([| 4; 7; 3 |], Tanh(), Softmax())
    let error = Assert.Throws<ArgumentException>(fun () -> TrainingRun.Resume(wider, SparseCategoricalCrossEntropy(), data (), checkpoint) |> ignore)
    Assert.Contains("The checkpoint's parameter 'layers.0.weight' has shape [6, 4], but the network's is [7, 4]", error.Message)
    let noStopping = withOptions (optionsWith 5 0.0) checkpoint
    Assert.Contains("has early-stopping parameters, but ValidationFraction is 0",
                    Assert.Throws<ArgumentException>(fun () -> TrainingRun.Resume(network 1, SparseCategoricalCrossEntropy(), data (), noStopping) |> ignore).Message)
    // Training longer: the same checkpoint with more epochs.
    let longer = TrainingRun.Resume(network 1, SparseCategoricalCrossEntropy(), data (), withOptions (optionsWith 7 0.25) checkpoint)
    Assert.Equal(3, (longer.RunEpoch()).Epoch)
    Assert.Throws<InvalidOperationException>(fun () -> TrainingRun(network 1, SparseCategoricalCrossEntropy(), data (), optionsWith 0 0.25).RunEpoch() |> ignore) |> ignore

[<Fact>]
let ``options name an invalid optimizer, schedule or clipping setting`` () =
    for options, name, message in [ TrainingOptions(MaxGradientNorm = Nullable 0.0), "MaxGradientNorm", "MaxGradientNorm must be positive and finite."
                                    TrainingOptions(MaxGradientNorm = Nullable nan), "MaxGradientNorm", "MaxGradientNorm must be positive and finite."
                                    TrainingOptions(Optimizer = Unchecked.defaultof<Optimizer>), "Optimizer", "Optimizer must be set."
                                    TrainingOptions(Schedule = Unchecked.defaultof<Schedule>), "Schedule", "Schedule must be set." ] do
        let error = Assert.ThrowsAny<ArgumentException>(fun () -> options.Validate())
        Assert.Equal(name, error.ParamName)
        Assert.Contains(message, error.Message)
