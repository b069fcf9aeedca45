/// Data hygiene: no statistic fitted on the test part reaches training. Whatever the test part holds, the split, the
/// standardizer fitted on the training part, early stopping's hold-out (drawn from the training part) and so every trained
/// parameter stay bit-identical — asserted through the API and through the model file `nn train` saves.
module DataHygiene

open System
open System.Globalization
open System.IO
open Xunit
open Xunit.Abstractions
open FsCheck
open FsCheck.FSharp
open Engine
open Engine.Activations
open Engine.Data
open Engine.Losses
open Engine.Networks
open Engine.Serialization
open Engine.Training
open Engine.Verification

/// A labelled data set to split: rows × features of standard normal values, labels of 2–3 classes, the seed of the split and
/// of training, and the hold-out fraction for early stopping (0: none).
type DataCase =
    { Rows: int
      Features: int
      Classes: int
      HoldOut: float
      Seed: int }
    override this.ToString() =
        sprintf "%d rows, %d features, %d classes, hold-out %g, seed %d" this.Rows this.Features this.Classes this.HoldOut this.Seed

let private cases =
    gen {
        let! rows = Gen.choose (20, 80)
        let! features = Gen.choose (1, 5)
        let! classes = Gen.choose (2, 3)
        let! holdOut = Gen.elements [ 0.0; 0.25 ]
        let! seed = Gen.choose (0, Int32.MaxValue)
        return { Rows = rows; Features = features; Classes = classes; HoldOut = holdOut; Seed = seed }
    }
    |> Arb.fromGen

/// The data set, and the rows the stratified split puts in the test part: the split sees only the labels, so splitting a
/// data set whose one feature is the row's index tells which rows they are.
let private data (c: DataCase) =
    let random = Random c.Seed
    let features = Array.init (c.Rows * c.Features) (fun _ -> Numerics.StandardNormal random)
    let labels = Array.init c.Rows (fun i -> float (if i < c.Classes then i else random.Next c.Classes))
    let struct (_, test) = Split.Stratified(Dataset(Array.init c.Rows float, 1, labels, 1), 0.2, c.Seed)
    Dataset(features, c.Features, labels, 1), test.Features |> Array.map int

/// The same data with every feature of the test rows replaced by outliers of magnitude about 1000.
let private spoilTest (c: DataCase) (data: Dataset) (testRows: int[]) =
    let random = Random(c.Seed + 1)
    let features = Array.copy data.Features
    for row in testRows do
        for k in 0 .. c.Features - 1 do features[row * c.Features + k] <- 1000.0 * (1.0 + Numerics.StandardNormal random)
    Dataset(features, c.Features, Array.copy data.Targets, 1)

/// The pipeline through the API, as nn train runs it: split, standardize with statistics of the training part, train with
/// early stopping's hold-out drawn from the training part. Everything that training saw or produced.
let private pipeline (c: DataCase) (data: Dataset) =
    let struct (train, _) = Split.Stratified(data, 0.2, c.Seed)
    let standardizer = Standardizer.Fit train
    let network = Network.Dense([| c.Features; 5; c.Classes |], Tanh(), Softmax())
    network.Initialize(WeightInitialization.Glorot, c.Seed)
    let options = TrainingOptions(LearningRate = 0.1, BatchSize = 8, Epochs = 4, Seed = c.Seed, ValidationFraction = c.HoldOut, Patience = 2)
    let reports = Trainer.Train(network, SparseCategoricalCrossEntropy(), standardizer.Transform train, options)
    [ "training features", train.Features
      "standardizer means", standardizer.Means
      "standardizer deviations", standardizer.Deviations
      "parameters", network.Parameters |> Seq.collect _.Values |> Array.ofSeq
      "epoch losses", reports |> Seq.collect (fun r -> [ r.Loss; r.ValidationLoss.GetValueOrDefault nan ]) |> Array.ofSeq ]

/// The names of the outcomes that differ bit for bit (NaN equal to NaN).
let private differences (a: (string * float[]) list) (b: (string * float[]) list) =
    let same (x: float[]) (y: float[]) = x.Length = y.Length && Array.forall2 (fun (p: float) q -> BitConverter.DoubleToInt64Bits p = BitConverter.DoubleToInt64Bits q) x y
    [ for (name, x), (_, y) in List.zip a b do if not (same x y) then yield name ]

/// Runs nn train in-process on a CSV of the data and returns the model it saved and its metrics.
let private train (c: DataCase) (data: Dataset) =
    let folder = Path.Combine(Path.GetTempPath(), "verify-hygiene-" + Guid.NewGuid().ToString("N"))
    Directory.CreateDirectory folder |> ignore
    try
        let csv = Path.Combine(folder, "data.csv")
        File.WriteAllLines(csv, [| for i in 0 .. data.Count - 1 ->
                                     String.Join(",", Array.append (data.FeatureRow(i).ToArray() |> Array.map (fun v -> v.ToString("R", CultureInfo.InvariantCulture)))
                                                                   [| string (int data.Targets[i]) |]) |])
        let output = new StringWriter()
        let args = [| "train"; "--data"; csv; "--layers"; sprintf "%d,5,%d" c.Features c.Classes; "--epochs"; "4"; "--seed"; string c.Seed; "--out"; Path.Combine(folder, "run") |]
        let code = Engine.Cli.App.Run(args, Engine.Cli.Terminal(output, output, false, false))
        if code <> 0 then failwithf "nn %s exited %d: %O" (String.Join(" ", args)) code output
        let model = ModelFile.Load(Path.Combine(folder, "run", "model.safetensors"))
        let standardizer = nonNull model.Standardizer
        let metrics = File.ReadAllLines(Path.Combine(folder, "run", "metrics.csv"))
        [ "standardizer means", standardizer.Means
          "standardizer deviations", standardizer.Deviations
          "parameters", model.Network.Parameters |> Seq.collect _.Values |> Array.ofSeq ],
        metrics
    finally Directory.Delete(folder, true)

type Tests(output: ITestOutputHelper) =
    [<Fact>]
    member _.``nothing fitted on the test part reaches training: split, standardizer, hold-out and parameters ignore it`` () =
        Suite.check output "data hygiene through the API" 100 [] (fun () -> []) cases (fun c ->
            let original, testRows = data c
            if testRows.Length = 0 then NotBuilt "the split put no row in the test part"
            else
                let changed = differences (pipeline c original) (pipeline c (spoilTest c original testRows))
                Suite.holds changed.IsEmpty (fun () -> sprintf "replacing the %d test rows changed the %s" testRows.Length (String.Join(", ", changed))))

    [<Fact>]
    member _.``nn train saves the same model whatever the test part holds, and reports the test part it was given`` () =
        Suite.check output "data hygiene through nn train" 6 [] (fun () -> []) cases (fun c ->
            let original, testRows = data c
            if testRows.Length = 0 then NotBuilt "the split put no row in the test part"
            else
                let model, metrics = train c original
                let spoiledModel, spoiledMetrics = train c (spoilTest c original testRows)
                let changed = differences model spoiledModel
                // The last epoch's row: epoch, train loss, train accuracy, test loss, test accuracy. Training is the same; the
                // test loss is not, so the outliers did reach the test part.
                let last (lines: string[]) = lines[lines.Length - 1].Split(',')
                let trainSame = (last metrics)[..2] = (last spoiledMetrics)[..2]
                let testDiffers = (last metrics)[3] <> (last spoiledMetrics)[3]
                Suite.holds (changed.IsEmpty && trainSame && testDiffers) (fun () ->
                    sprintf "replacing the %d test rows changed the saved %s; training metrics the same: %b; test loss changed: %b"
                        testRows.Length (String.Join(", ", changed)) trainSame testDiffers))
