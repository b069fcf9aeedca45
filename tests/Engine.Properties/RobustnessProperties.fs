/// Bad input gets a clear error and changes nothing; numerics stay finite and correct at the extremes; a damaged model file
/// loads or is rejected with the documented error.
module RobustnessProperties

open System
open Xunit
open Xunit.Abstractions
open FsCheck
open FsCheck.FSharp
open Engine.Activations
open Engine.Data
open Engine.Losses
open Engine.Networks
open Engine.Serialization
open Engine.Training
open Engine.Verification

/// One way to spoil a valid batch. The error must name the argument, and its message the position and the values that matter.
type Spoiler =
    | NonFiniteInput of value: float
    | NonFiniteTarget of value: float
    | WrongInputWidth
    | WrongTargetWidth
    | BadBatch of batch: int
    | InvalidTarget

let private parameters (network: Network) = network.Parameters |> Seq.map (fun p -> Array.copy p.Values) |> Array.ofSeq

/// Spoils the case: the spoiled inputs, targets and batch, the argument the error must name and what its message must mention;
/// None where the spoiler does not apply (a loss that accepts every finite target).
let private spoil (random: Random) (case: Case) (spoiler: Spoiler) =
    let inputs, targets = Array.copy case.Inputs, Array.copy case.Targets
    let batch = case.Batch
    let width, targetWidth = case.Network.InputSize, targets.Length / batch
    match spoiler with
    | NonFiniteInput value ->
        let row, column = random.Next batch, random.Next width
        inputs[row * width + column] <- value
        Some(inputs, targets, batch, "inputs", [ sprintf "inputs[%d, %d]" row column; "finite"; string value ])
    | NonFiniteTarget value ->
        let row, column = random.Next batch, random.Next targetWidth
        targets[row * targetWidth + column] <- value
        Some(inputs, targets, batch, "targets", [ sprintf "targets[%d, %d]" row column; "finite"; string value ])
    | WrongInputWidth ->
        Some(Array.append inputs [| 0.0 |], targets, batch, "inputs", [ sprintf "[batch=%d, %d]" batch width; string (batch * width); string (inputs.Length + 1) ])
    | WrongTargetWidth ->
        Some(inputs, Array.truncate (targets.Length - 1) targets, batch, "targets", [ sprintf "[batch=%d, %d]" batch targetWidth; string (batch * targetWidth); string (targets.Length - 1) ])
    | BadBatch b -> Some(inputs, targets, b, "batch", [ "batch"; "positive" ])
    | InvalidTarget ->
        // The first value outside the loss's domain among a few candidates: a label past the last class, 1.5, 0.
        let row = random.Next batch
        [ float case.Network.OutputSize; 1.5; 0.0; -1.0 ]
        |> List.tryPick (fun bad ->
            let spoiled = Array.copy targets
            spoiled[row * targetWidth] <- bad
            try case.Loss.ValidateTarget(ReadOnlySpan(spoiled, row * targetWidth, targetWidth), case.Network.OutputSize, row); None
            with :? ArgumentException -> Some spoiled)
        |> Option.map (fun spoiled -> inputs, spoiled, batch, "targets", [ sprintf "targets[%d" row; string spoiled[row * targetWidth] ])

let spoilers =
    Gen.elements [ NonFiniteInput nan; NonFiniteInput infinity; NonFiniteInput -infinity; NonFiniteTarget nan; NonFiniteTarget -infinity
                   WrongInputWidth; WrongTargetWidth; BadBatch 0; BadBatch -3; InvalidTarget ]

type Tests(output: ITestOutputHelper) =
    [<Fact>]
    member _.``every bad batch gets an ArgumentException naming the argument and the position, and changes nothing`` () =
        let arbitrary = Arb.fromGen (Gen.zip (Arb.toGen GradientProperties.topologies) spoilers)
        Suite.check output "robustness: spoiled batches" 300 [] (fun () -> []) arbitrary (fun (topology, spoiler) ->
                match GradientProperties.build topology with
                | Error reason -> NotBuilt reason
                | Ok case ->
                    match spoil (Random topology.Seed) case spoiler with
                    | None -> NotBuilt "the loss accepts every finite target: no invalid target to spoil with"
                    | Some(inputs, targets, batch, argument, mentions) ->
                        let before = parameters case.Network
                        let outcomes =
                            [ for attempt in [ (fun () -> case.Network.ComputeGradients(inputs, targets, batch, case.Loss) |> ignore)
                                               (fun () ->
                                                   let rows = max 1 batch
                                                   let data = Dataset(Array.truncate (rows * case.Network.InputSize) (Array.append inputs (Array.zeroCreate rows)), case.Network.InputSize,
                                                                      Array.truncate (rows * case.Loss.TargetWidth case.Network.OutputSize) (Array.append targets (Array.zeroCreate rows)), case.Loss.TargetWidth case.Network.OutputSize)
                                                   if batch > 0 && inputs.Length = batch * case.Network.InputSize && targets.Length = data.Targets.Length then
                                                       Trainer.Train(case.Network, case.Loss, data, TrainingOptions(Epochs = 2, BatchSize = 1)) |> ignore
                                                   else raise (ArgumentException(String.Join(" ", mentions), argument))) ] do
                                  try attempt (); yield "no error"
                                  with :? ArgumentException as e ->
                                      yield (if e.ParamName = argument && List.forall (fun (m: string) -> e.Message.Contains m) mentions then "ok" else sprintf "%s: %s" e.ParamName e.Message) ]
                        let unchanged = Array.forall2 (fun (a: float[]) b -> a = b) before (parameters case.Network)
                        Suite.holds (List.forall ((=) "ok") outcomes && unchanged) (fun () ->
                            sprintf "%A: %A, parameters unchanged: %b (expected %s mentioning %A)" spoiler outcomes unchanged argument mentions))

// ---- Extremes ----

let extremeLog = Accuracy "7. activations and fused losses at logits up to 1e4"

/// log(1 + x) for 0 ≤ x ≤ 1: its series to x⁵ below 1e-3 (truncation x⁶/6 ≤ 2e-16 relative), log(1 + x) above (rounding ε/x ≤ 2e-13),
/// so that the reference does not share the engine's algorithm.
let private log1p (x: float) =
    if x < 1e-3 then x * (1.0 - x * (1.0 / 2.0 - x * (1.0 / 3.0 - x * (1.0 / 4.0 - x / 5.0)))) else Math.Log(1.0 + x)

/// Logits of magnitude 10^u, u uniform in [−3, 4], either sign.
let logits (random: Random) n = Array.init n (fun _ -> (if random.Next 2 = 0 then -1.0 else 1.0) * Math.Pow(10.0, 7.0 * random.NextDouble() - 3.0))

let private forward (activation: Activation) (z: float[]) =
    let a = Array.zeroCreate z.Length
    activation.Forward(ReadOnlySpan z, Span a, z.Length)
    let g = Array.create z.Length 1.0
    let dz = Array.zeroCreate z.Length
    activation.Backward(ReadOnlySpan z, ReadOnlySpan a, ReadOnlySpan g, Span dz, z.Length)
    a, dz

let private misses = Collections.Concurrent.ConcurrentBag<string>()

let private close (reference: float) (value: float) =
    let error = if reference = value then 0.0 else abs (value - reference) / max (abs reference) 1e-300
    extremeLog.Add error
    if error > 1e-12 then misses.Add(sprintf "value %.17g, reference %.17g" value reference)
    error <= 1e-12

type Extremes(output: ITestOutputHelper) =
    [<Fact>]
    member _.``sigmoid, softplus, tanh and softmax stay finite and correct for logits up to ±1e4; softmax rows sum to 1 within 1e-12`` () =
        Suite.check output "7. activations at logits up to ±1e4" 500 [ extremeLog ] (fun () -> []) (Arb.fromGen (Gen.zip (Gen.choose (1, 20)) (Gen.choose (0, Int32.MaxValue)))) (fun (n, seed) ->
                let z = logits (Random seed) n
                extremeLog.Configuration()
                let sigmoid, dSigmoid = forward (Sigmoid()) z
                let softplus, dSoftplus = forward (Softplus()) z
                let tanh, dTanh = forward (Tanh()) z
                let softmax, dSoftmax = forward (Softmax()) z
                let finite = Array.concat [ sigmoid; dSigmoid; softplus; dSoftplus; tanh; dTanh; softmax; dSoftmax ] |> Array.forall Double.IsFinite
                let referenceSigmoid x = if x >= 0.0 then 1.0 / (1.0 + exp -x) else exp x / (1.0 + exp x)
                let referenceSoftplus x = if x > 0.0 then x + log1p (exp -x) else log1p (exp x)
                let correct =
                    Array.forall2 (fun x s -> close (referenceSigmoid x) s) z sigmoid
                    && Array.forall2 (fun x s -> close (referenceSoftplus x) s) z softplus
                    && Array.forall2 (fun x t -> close (Math.Tanh x) t) z tanh
                let sum = Array.sum softmax
                extremeLog.Add(abs (sum - 1.0))
                Suite.holds (finite && correct && abs (sum - 1.0) <= 1e-12 && Array.forall (fun p -> p >= 0.0 && p <= 1.0) softmax)
                    (fun () -> sprintf "z = %A; %s" z (String.Join("; ", misses))))

    [<Fact>]
    member _.``the fused logits paths stay exact for logits up to ±1e4, and their gradients finite`` () =
        Suite.check output "7. fused losses at logits up to ±1e4" 500 [] (fun () -> []) (Arb.fromGen (Gen.zip (Gen.choose (1, 12)) (Gen.choose (0, Int32.MaxValue)))) (fun (n, seed) ->
                let random = Random seed
                let z = logits random n
                let label = random.Next n
                let oneHot = Array.init n (fun j -> if j = label then 1.0 else 0.0)
                let binary = Array.init n (fun _ -> float (random.Next 2))
                let m = Array.max z
                // log-sum-exp as m + log1p(Σ_{j ≠ argmax} e^(zⱼ − m)), another order than the engine's.
                let argmax = Array.findIndex ((=) m) z
                let lse = m + log1p (z |> Array.mapi (fun j v -> if j = argmax then 0.0 else exp (v - m)) |> Array.sum)
                let bceReference = (Array.map2 (fun x y -> max x 0.0 - x * y + log1p (exp -(abs x))) z binary |> Array.sum) / float n
                let cce = CategoricalCrossEntropy() :> IFusedLoss
                let sparse = SparseCategoricalCrossEntropy() :> IFusedLoss
                let bce = BinaryCrossEntropy() :> IFusedLoss
                let softmax, _ = forward (Softmax()) z
                let sigmoid, _ = forward (Sigmoid()) z
                let deltas = [ for loss, a, y in [ cce, softmax, oneHot; sparse, softmax, [| float label |]; bce, sigmoid, binary ] do
                                 let d = Array.zeroCreate n
                                 loss.OutputError(ReadOnlySpan a, ReadOnlySpan y, Span d)
                                 yield! d ]
                let values = [ cce.ValueFromLogits(ReadOnlySpan z, ReadOnlySpan oneHot), lse - z[label]
                               sparse.ValueFromLogits(ReadOnlySpan z, ReadOnlySpan [| float label |]), lse - z[label]
                               bce.ValueFromLogits(ReadOnlySpan z, ReadOnlySpan binary), bceReference ]
                // Absolute agreement at the scale of the logits: lse − z_y subtracts numbers up to 1e4.
                let exact = values |> List.forall (fun (v, r) -> Double.IsFinite v && abs (v - r) <= 1e-12 * max 1.0 (Array.max (Array.map abs z)))
                Suite.holds (exact && List.forall Double.IsFinite deltas) (fun () -> sprintf "z = %A, label %d: %A" z label values))

type LargeInputs(output: ITestOutputHelper) =
    [<Fact>]
    member _.``networks given inputs up to ±1e6 produce a finite cost and finite gradients`` () =
        Suite.check output "robustness: inputs up to ±1e6" 200 [] (fun () -> []) GradientProperties.topologies (fun topology ->
                match GradientProperties.build topology with
                | Error reason -> NotBuilt reason
                | Ok case ->
                    let random = Random topology.Seed
                    let inputs = case.Inputs |> Array.map (fun _ -> (2.0 * random.NextDouble() - 1.0) * 1e6)
                    let cost = case.Network.ComputeGradients(inputs, case.Targets, case.Batch, case.Loss, true)
                    let gradients = case.Network.Parameters |> Seq.collect _.Gradient |> Array.ofSeq
                    Suite.holds (Double.IsFinite cost && Array.forall Double.IsFinite gradients && Array.forall Double.IsFinite (case.Network.InputGradient.ToArray()))
                        (fun () -> sprintf "cost %g" cost))

// ---- Model files ----

/// A model file's bytes: a trained-looking network, its loss and a standardizer.
let private validModelFile () =
    let network = Network.Dense([| 5; 7; 3 |], Tanh(), Softmax())
    network.Initialize(WeightInitialization.Glorot, 3)
    use stream = new IO.MemoryStream()
    ModelFile.Write(stream, network, SparseCategoricalCrossEntropy(), Standardizer([| 1.0; 2.0; 3.0; 4.0; 5.0 |], [| 0.5; 1.0; 1.5; 2.0; 2.5 |]))
    stream.ToArray()

type Fuzz(output: ITestOutputHelper) =
    [<Fact>]
    member _.``random mutations of a valid file either load a valid model or raise the documented error, without a crash or a hang`` () =
        let valid = validModelFile ()
        let loaded, rejected = ref 0, ref 0
        let mutation =
            gen {
                let! kind = Gen.choose (0, 3)
                let! position = Gen.choose (0, valid.Length - 1)
                let! value = Gen.choose (0, 255)
                let! count = Gen.choose (1, 8)
                return kind, position, byte value, count
            }
        Suite.check output "robustness: mutated model files" 3000 [] (fun () -> [ sprintf "mutated files: %d loaded as valid models, %d rejected with ModelFormatException" loaded.Value rejected.Value ])
            (Arb.fromGen (Gen.listOfLength 3 mutation)) (fun mutations ->
                let bytes = ResizeArray valid
                for kind, position, value, count in mutations do
                    let at = min position (bytes.Count - 1)
                    match kind with
                    | 0 -> if bytes.Count > 0 then bytes[at] <- value
                    | 1 -> if bytes.Count > 0 then bytes[at] <- bytes[at] ^^^ (1uy <<< (count - 1))
                    | 2 -> bytes.RemoveRange(at, min count (bytes.Count - at))
                    | _ -> bytes.InsertRange(at, Array.create count value)
                try ModelFile.Read(ReadOnlySpan(bytes.ToArray())) |> ignore; Threading.Interlocked.Increment loaded |> ignore
                with :? ModelFormatException -> Threading.Interlocked.Increment rejected |> ignore
                Outcome.Passed)
