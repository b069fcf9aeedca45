/// Properties 5–7: batch invariants, first-order descent, and convergence to the known answers (least squares, the
/// perceptron's mistake bound).
module TrainingProperties

open System
open Xunit
open Xunit.Abstractions
open FsCheck
open FsCheck.FSharp
open MathNet.Numerics.LinearAlgebra
open Engine.Activations
open Engine.Data
open Engine.Losses
open Engine.Networks
open Engine.Optimizers
open Engine.Training
open Engine.Verification

let batchLog = Accuracy "5. batch gradient vs mean of per-sample gradients"
let permutationLog = Accuracy "5. batch gradient vs permuted batch"
let descentLog = Accuracy "6. relative decrease of C after one small SGD step"

let private gradients (network: Network) = network.Parameters |> Seq.collect _.Gradient |> Array.ofSeq

/// Same terms summed in another order: Tolerances.exact.
let private compare (log: Accuracy) (cost: float) (expected: float[]) (actual: float[]) =
    let floor = Tolerances.exactFloor cost (Array.map abs expected |> Array.fold max 0.0)
    Array.map2 (Numerical.relativeError floor) expected actual
    |> Array.mapi (fun i e -> log.Add e; i, e)
    |> Array.filter (fun (_, e) -> not (e <= Tolerances.exact))

let private rows (data: float[]) width (order: int[]) = order |> Array.collect (fun i -> Array.sub data (i * width) width)

let checkBatch (case: Case) =
    let batch, network, loss = case.Batch, case.Network, case.Loss
    let inputWidth, targetWidth = network.InputSize, case.Targets.Length / batch
    let cost = network.ComputeGradients(case.Inputs, case.Targets, batch, loss)
    let batchGradient = gradients network
    let perSample =
        [| for i in 0 .. batch - 1 do
               network.ComputeGradients(rows case.Inputs inputWidth [| i |], rows case.Targets targetWidth [| i |], 1, loss) |> ignore
               gradients network |]
    let mean = Array.init batchGradient.Length (fun p -> (perSample |> Array.sumBy (fun g -> g[p])) / float batch)
    let permutation = Array.init batch id |> Array.rev
    network.ComputeGradients(rows case.Inputs inputWidth permutation, rows case.Targets targetWidth permutation, batch, loss) |> ignore
    let permuted = gradients network
    batchLog.Configuration()
    permutationLog.Configuration()
    let bad = Array.append (compare batchLog cost mean batchGradient) (compare permutationLog cost batchGradient permuted)
    Suite.holds (bad.Length = 0) (fun () -> sprintf "parameters %A differ" (Array.truncate 5 bad))

let checkDescent (case: Case) =
    let batch, network, loss = case.Batch, case.Network, case.Loss
    let before = network.ComputeGradients(case.Inputs, case.Targets, batch, loss)
    let g = gradients network
    let squaredNorm = Array.sumBy (fun x -> x * x) g
    // A gradient below rounding noise gives no measurable first-order decrease: such cases are counted, not checked.
    if squaredNorm < 1e-6 * max 1.0 (abs before) then NotBuilt "the gradient is below rounding noise: no measurable first-order decrease"
    else
        // η·‖g‖ ≤ 1e-3 keeps the step inside the generator's kink margin and makes the second-order term negligible.
        let eta = 1e-3 / max 1.0 (sqrt squaredNorm)
        Sgd().Bind(network).Step(eta)
        let after = network.Cost(case.Inputs, case.Targets, batch, loss)
        descentLog.Configuration()
        descentLog.Add((before - after) / (eta * squaredNorm))
        Suite.holds (after < before) (fun () -> sprintf "C went from %.17g to %.17g with eta %g, |g|² %g" before after eta squaredNorm)

let private withCase (check: Case -> Outcome) (t: DenseTopology) =
    match GradientProperties.build t with
    | Ok case -> check case
    | Error reason -> NotBuilt reason

type Tests(output: ITestOutputHelper) =
    [<Fact>]
    member _.``the batch-mean gradient equals the mean of per-sample gradients and does not depend on the order of the batch`` () =
        Suite.check output "5. batch gradients" 100 [ batchLog; permutationLog ] (fun () -> []) GradientProperties.topologies (withCase checkBatch)

    [<Fact>]
    member _.``one SGD step with a small enough learning rate lowers the cost (first-order descent)`` () =
        Suite.check output "6. first-order descent" 100 [ descentLog ] (fun () -> [ "(a relative decrease of 1 is exactly the first-order prediction)" ])
            GradientProperties.topologies (withCase checkDescent)

    [<Fact>]
    member _.``a single linear layer with MSE trained by gradient descent converges to MathNet's least-squares solution`` () =
        Suite.check output "7. least squares" 30 [] (fun () -> []) (Arb.fromGen (Gen.zip (Gen.choose (1, 5)) (Gen.choose (0, Int32.MaxValue)))) (fun (d, seed) ->
                let random = Random seed
                let n = 8 * d + random.Next 20
                let x = Array.init (n * d) (fun _ -> Engine.Numerics.StandardNormal random)
                let y = Array.init n (fun _ -> Engine.Numerics.StandardNormal random)
                let design = Matrix<float>.Build.Dense(n, d + 1, fun i j -> if j = d then 1.0 else x[i * d + j])
                let solution = design.QR().Solve(Vector<float>.Build.DenseOfArray y).ToArray()
                // MSE (mean over one output) has Hessian (2/n)·DᵀD; η = 1/λmax converges at rate 1 − λmin/λmax per step.
                let hessian = (design.TransposeThisAndMultiply design) * (2.0 / float n)
                let eigenvalues = hessian.Evd().EigenValues |> Seq.map _.Real |> Array.ofSeq
                let steps = int (ceil (Math.Log 1e-12 / Math.Log(1.0 - Array.min eigenvalues / Array.max eigenvalues)))
                let layer = Dense(d, 1, Identity())
                let options = TrainingOptions(LearningRate = 1.0 / Array.max eigenvalues, BatchSize = n, Epochs = min steps 20000, Shuffle = false)
                Trainer.Train(Network([ layer :> Layer ]), MeanSquaredError(), Dataset(x, d, y, 1), options) |> ignore
                let found = Array.append layer.Weights layer.Biases
                let worst = Array.map2 (fun a b -> abs (a - b)) found solution |> Array.max
                Suite.holds (worst <= 1e-6) (fun () -> sprintf "gradient descent %A, least squares %A" found solution))

    [<Fact>]
    member _.``the perceptron on linearly separable data stops with no mistakes, within the (R/gamma)² bound`` () =
        Suite.check output "7. perceptron" 50 [] (fun () -> []) (Arb.fromGen (Gen.zip (Gen.choose (1, 6)) (Gen.choose (0, Int32.MaxValue)))) (fun (d, seed) ->
                let random = Random seed
                // A separating hyperplane (w*, b*), |w*| = 1 and |b*| ≤ 1 so that it cuts the cube [−2, 2]^d, and points at
                // least 0.1 from it (at most 5% of the cube lies that close, so the draw ends quickly).
                let direction = Array.init d (fun _ -> Engine.Numerics.StandardNormal random)
                let length = sqrt (Array.sumBy (fun v -> v * v) direction)
                let w = direction |> Array.map (fun v -> v / length)
                let b = 2.0 * random.NextDouble() - 1.0
                let points =
                    Seq.initInfinite (fun _ -> Array.init d (fun _ -> 4.0 * random.NextDouble() - 2.0))
                    |> Seq.filter (fun p -> abs (Array.fold2 (fun s wi xi -> s + wi * xi) b w p) >= 0.1)
                    |> Seq.take 60 |> Array.ofSeq
                let side (p: float[]) = Array.fold2 (fun s wi xi -> s + wi * xi) b w p
                let data = Dataset(Array.concat points, d, points |> Array.map (fun p -> if side p > 0.0 then 1.0 else 0.0), 1)
                // Novikoff: at most (R/γ)² mistakes, in the augmented space (x, 1) where the bias is a weight.
                let norm = sqrt (Array.sumBy (fun v -> v * v) w + b * b)
                let gamma = points |> Array.map (fun p -> abs (side p) / norm) |> Array.min
                let radius = points |> Array.map (fun p -> sqrt (Array.sumBy (fun v -> v * v) p + 1.0)) |> Array.max
                let bound = (radius / gamma) ** 2.0
                let result = PerceptronTrick.Train(Dense(d, 1, Step()), data, 1.0, 100000, seed)
                Suite.holds (result.Converged && float result.Updates <= bound) (fun () -> sprintf "%A, bound %.0f" result bound))
