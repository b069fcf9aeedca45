/// Each nn command run as a process: what it computes and writes.
module Commands

open System
open System.Globalization
open System.IO
open Xunit
open Engine
open Engine.Activations
open Tool

let private lastTestAccuracy (folder: string) =
    let csv = File.ReadAllLines(Path.Combine(folder, "metrics.csv"))
    Double.Parse(csv[csv.Length - 1].Split(',')[4], CultureInfo.InvariantCulture)

[<Fact>]
let ``nn train with no options reproduces test accuracy 346/359 = 0.9638 on digits and writes the model, the CSV and two PNG plots`` () =
    withFolder (fun folder ->
        let run = runIn folder [ "train"; "--out"; "run" ]
        succeeded run
        Assert.Equal("run\n", run.Out)
        let out = Path.Combine(folder, "run")
        for file in [ "model.safetensors"; "metrics.csv"; "loss.png"; "accuracy.png" ] do
            Assert.True(File.Exists(Path.Combine(out, file)), file)
        let csv = File.ReadAllLines(Path.Combine(out, "metrics.csv"))
        Assert.Equal("epoch,train_loss,train_accuracy,test_loss,test_accuracy", csv[0])
        Assert.Equal(61, csv.Length)
        Assert.Equal(346.0 / 359.0, lastTestAccuracy out)
        Assert.Equal<byte[]>([| 0x89uy; 0x50uy; 0x4Euy; 0x47uy |], File.ReadAllBytes(Path.Combine(out, "loss.png"))[0..3])
        Assert.Contains("test", run.Err))

[<Fact>]
let ``nn train --optimizer adam reaches the SGD default's test accuracy in a third of its epochs, at its preset rate`` () =
    withFolder (fun folder ->
        let run = runIn folder [ "train"; "--optimizer"; "adam"; "--epochs"; "20"; "--out"; "adam" ]
        succeeded run
        Assert.Contains("adam, η = 0.03", run.Err)
        Assert.True(lastTestAccuracy (Path.Combine(folder, "adam")) >= 346.0 / 359.0, sprintf "test accuracy %g" (lastTestAccuracy (Path.Combine(folder, "adam")))))

[<Fact>]
let ``nn train --model cnn reaches a test accuracy of at least 0.98 on digits, and the saved CNN reloads`` () =
    withFolder (fun folder ->
        succeeded (runIn folder [ "train"; "--model"; "cnn"; "--out"; "cnn" ])
        let accuracy = lastTestAccuracy (Path.Combine(folder, "cnn"))
        Assert.True(accuracy >= 0.98, sprintf "test accuracy %g" accuracy)
        succeeded (runIn folder [ "evaluate"; "--model"; Path.Combine("cnn", "model.safetensors"); "--data"; "digits" ]))

[<Fact>]
let ``nn evaluate and nn predict use the saved model: predictions are bit-identical to the trained network's`` () =
    withFolder (fun folder ->
        succeeded (runIn folder [ "train"; "--data"; "iris"; "--layers"; "4,6,3"; "--epochs"; "20"; "--out"; "iris" ])
        let model = Path.Combine(folder, "iris", "model.safetensors")
        let evaluated = runIn folder [ "evaluate"; "--model"; model; "--data"; "iris" ]
        succeeded evaluated
        Assert.Contains("150", evaluated.Out)
        File.WriteAllLines(Path.Combine(folder, "rows.csv"), [| "5.1,3.5,1.4,0.2"; "6.7,3.0,5.2,2.3" |])
        let predicted = runIn folder [ "predict"; "--model"; model; "--input"; "rows.csv" ]
        succeeded predicted
        Assert.Equal("", predicted.Err)
        let loaded = Serialization.ModelFile.Load model
        let x = (nonNull loaded.Standardizer).Transform(Data.Dataset([| 5.1; 3.5; 1.4; 0.2; 6.7; 3.0; 5.2; 2.3 |], 4, [| 0.0; 0.0 |], 1)).Features
        let expected = loaded.Network.Forward(ReadOnlySpan x, 2).ToArray()
        let printed = predicted.OutLines |> Array.skip 1 |> Array.collect (fun l -> l.Split(',') |> Array.skip 1 |> Array.map float)
        Assert.Equal<float[]>(expected, printed))

[<Fact>]
let ``nn gradcheck passes for every registered activation`` () =
    for activation in Registry<Activation>.Builtin.Names do
        let run = run [ "gradcheck"; "--layers"; "4,8,3"; "--activation"; activation; "--loss"; "mse" ]
        succeeded run
        Assert.Contains("passed", run.Out)

[<Fact>]
let ``nn walkthrough prints the notes' table, and --example iq the nine derivatives`` () =
    let batch = run [ "walkthrough" ]
    succeeded batch
    for number in [ "-0.1392205"; "0.1449360"; "-0.028701"; "0.106903"; "0.213849"; "-0.139010"; "0.144936"; "-0.118169"; "0.10028701"; "-0.09913896"; "0.19855064" ] do
        Assert.Contains(number, batch.Out)
    let iq = run [ "walkthrough"; "--example"; "iq" ]
    succeeded iq
    for number in [ "176"; "29929"; "346"; "30448"; "27680"; "2768" ] do Assert.Contains(number, iq.Out)

[<Fact>]
let ``training that diverges exits with 1 and names the epoch and batch`` () =
    withFolder (fun folder ->
        File.WriteAllLines(Path.Combine(folder, "iq.csv"), [| "80,8,3.1"; "60,9,5.2"; "70,5,8.3"; "75,7,6.4"; "65,6,4.5" |])
        // Regression: a learning rate of 5 overshoots and overflows.
        let run = runIn folder [ "train"; "--data"; "iq.csv"; "--task"; "regression"; "--lr"; "5"; "--batch"; "1"; "--epochs"; "200"; "--out"; "iq"; "--activation"; "identity" ]
        Assert.True((run.Code = 1), string run)
        Assert.Contains("diverged at epoch", run.Err))
