/// Nielsen's network2 regularizes with L2: C = C₀ + (λ/2n)·Σw², so each mini-batch step is
///     w ← (1 − ηλ/n)·w − η·∂C₀/∂w,    b ← b − η·∂C₀/∂b
/// (network2.py's update_mini_batch; biases are not decayed). That is SGD with coupled weight decay λ/n on the weights: the
/// engine's w ← w − η·(∂C₀/∂w + (λ/n)·w). Here on the digits, a [64, 30, 10] network (network2's [784, 30, 10] scaled to 8×8),
/// η = 0.5, λ = 5, mini-batches of 10, as network2's example run.
module Network2WeightDecay

open System
open Xunit
open Xunit.Abstractions
open Engine.Activations
open Engine.Data
open Engine.Losses
open Engine.Networks
open Engine.Optimizers
open Engine.Training
open Notes

let private eta, lambda, batch = 0.5, 5.0, 10

let private prepared () =
    let struct (train, test) = Split.Stratified(digits (), 0.2, 1)
    let scaler = Standardizer.Fit train
    scaler.Transform train, scaler.Transform test

let private network () =
    let network = Network.Dense([| 64; 30; 10 |], Sigmoid(), Softmax())
    network.Initialize(WeightInitialization.Glorot, 1)
    network

let private values (network: Network) = network.Parameters |> Seq.map (fun p -> Array.copy p.Values) |> Array.ofSeq

type Fixture(output: ITestOutputHelper) =
    [<Fact>]
    member _.``every step of SGD with weight decay λ/n on the weights is network2's w ← (1 − ηλ/n)·w − η·∂C₀/∂w, b ← b − η·∂C₀/∂b`` () =
        let train, _ = prepared ()
        let n = float train.Count
        let engine = network ()
        let state = Sgd(0.0, 0.0, false, lambda / n, false).Bind engine
        let loss = SparseCategoricalCrossEntropy()
        let mutable worst = 0.0
        for start in 0 .. batch .. train.Count - 1 do
            let rows = min batch (train.Count - start)
            let order = [| start .. start + rows - 1 |]
            let part = train.Select order
            engine.ComputeGradients(part.Features, part.Targets, rows, loss) |> ignore
            let before = values engine
            // network2, from the same parameters and the same mean gradient ∂C₀/∂θ = (1/m)·Σₓ ∂Cₓ/∂θ.
            let expected =
                engine.Parameters |> Seq.mapi (fun p parameter ->
                    Array.init parameter.Count (fun i ->
                        let w, g = before[p][i], parameter.Gradient[i]
                        if parameter.Name = "weight" then (1.0 - eta * lambda / n) * w - eta * g else w - eta * g)) |> Array.ofSeq
            state.Step eta
            let actual = values engine
            for p in 0 .. actual.Length - 1 do
                for i in 0 .. actual[p].Length - 1 do
                    // Both round a handful of times on the scale of w (network2 four times, the engine twice): the steps agree to
                    // 1e-12 of their size, up to 6u·|w|.
                    let step = abs (expected[p][i] - before[p][i])
                    let error = abs (actual[p][i] - expected[p][i])
                    let allowed = 1e-12 * step + 6.0 * Math.Pow(2.0, -53.0) * abs (before[p][i])
                    if step > 0.0 then worst <- max worst (max 0.0 (error - 6.0 * Math.Pow(2.0, -53.0) * abs (before[p][i])) / step)
                    Assert.True(error <= allowed, sprintf "batch at %d, %s[%d]: engine %.17g, network2 %.17g" start (engine.ParameterNames[p]) i (actual[p][i]) (expected[p][i]))
        output.WriteLine(sprintf "%d steps of network2's rule and of SGD(weightDecay = λ/n = %g): largest difference beyond 6u·|w|: %.2e of the step" ((train.Count + batch - 1) / batch) (lambda / n) worst)

    [<Fact>]
    member _.``the trainer with that optimizer runs exactly those steps, and the decay keeps the weights smaller at no cost in accuracy`` () =
        let train, test = prepared ()
        let n = float train.Count
        let loss = SparseCategoricalCrossEntropy()
        let options decay = TrainingOptions(LearningRate = eta, BatchSize = batch, Epochs = 10, Seed = 1, Optimizer = Sgd(0.0, 0.0, false, decay, false))
        let run decay =
            let trained = network ()
            Trainer.Train(trained, loss, train, options decay) |> ignore
            let squares = trained.Parameters |> Seq.filter (fun p -> p.Name = "weight") |> Seq.sumBy (fun p -> Array.sumBy (fun w -> w * w) p.Values)
            let struct (_, accuracy) = Evaluation.Evaluate(trained, loss, test)
            trained, squares, accuracy.Value
        // The trainer's first epoch without shuffling is the loop of the fact above.
        let oneEpoch = network ()
        Trainer.Train(oneEpoch, loss, train, TrainingOptions(LearningRate = eta, BatchSize = batch, Epochs = 1, Shuffle = false, Optimizer = Sgd(0.0, 0.0, false, lambda / n, false))) |> ignore
        let manual = network ()
        let state = Sgd(0.0, 0.0, false, lambda / n, false).Bind manual
        for start in 0 .. batch .. train.Count - 1 do
            let part = train.Select [| start .. min (start + batch) train.Count - 1 |]
            manual.ComputeGradients(part.Features, part.Targets, part.Count, loss) |> ignore
            state.Step eta
        Assert.Equal<float[][]>(values manual, values oneEpoch)
        let _, plainSquares, plainAccuracy = run 0.0
        let _, decayedSquares, decayedAccuracy = run (lambda / n)
        output.WriteLine(sprintf "10 epochs, η = %g, batch %d: Σw² %.1f without decay, %.1f with λ = %g (λ/n = %g); test accuracy %.4f and %.4f"
                             eta batch plainSquares decayedSquares lambda (lambda / n) plainAccuracy decayedAccuracy)
        Assert.True(decayedSquares < plainSquares)
        Assert.True(decayedAccuracy >= plainAccuracy)
