/// The nn commands, run in-process on a recording console.
module CommandLine

open System
open System.IO
open Xunit
open Spectre.Console
open Engine
open Engine.Activations
open Engine.Cli
open Engine.Losses
open Engine.Networks
open Engine.Verification

/// Runs nn with the arguments; returns the exit code and everything printed.
let run (args: string list) =
    let writer = new StringWriter()
    let console = AnsiConsole.Create(AnsiConsoleSettings(Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No, Out = AnsiConsoleOutput writer))
    console.Profile.Width <- 200
    let code = App.Run(List.toArray args, console)
    code, writer.ToString()

let private tempFolder () = Path.Combine(Path.GetTempPath(), "verify-cli-" + Guid.NewGuid().ToString("N"))

[<Fact>]
let ``nn train with no options reaches a test accuracy of at least 0.95 on digits and writes the model, the CSV and two PNG plots`` () =
    let folder = tempFolder ()
    let code, output = run [ "train"; "--out"; folder ]
    Assert.True((code = 0), output)
    for file in [ "model.safetensors"; "metrics.csv"; "loss.png"; "accuracy.png" ] do
        Assert.True(File.Exists(Path.Combine(folder, file)), file)
    let csv = File.ReadAllLines(Path.Combine(folder, "metrics.csv"))
    Assert.Equal("epoch,train_loss,train_accuracy,test_loss,test_accuracy", csv[0])
    Assert.Equal(61, csv.Length)
    let testAccuracy = float (csv[60].Split(',')[4])
    Assert.True(testAccuracy >= 0.95, sprintf "test accuracy %g" testAccuracy)
    let png = File.ReadAllBytes(Path.Combine(folder, "loss.png"))
    Assert.Equal<byte[]>([| 0x89uy; 0x50uy; 0x4Euy; 0x47uy |], png[0..3])
    Assert.Contains("test", output)
    Directory.Delete(folder, true)

[<Fact>]
let ``nn train --model cnn reaches a test accuracy of at least 0.98 on digits, and the saved CNN reloads`` () =
    let folder = tempFolder ()
    let code, output = run [ "train"; "--model"; "cnn"; "--out"; folder ]
    Assert.True((code = 0), output)
    let csv = File.ReadAllLines(Path.Combine(folder, "metrics.csv"))
    let testAccuracy = float (csv[csv.Length - 1].Split(',')[4])
    Assert.True(testAccuracy >= 0.98, sprintf "test accuracy %g" testAccuracy)
    let evaluated, table = run [ "evaluate"; "--model"; Path.Combine(folder, "model.safetensors"); "--data"; "digits" ]
    Assert.True((evaluated = 0), table)
    Directory.Delete(folder, true)

[<Fact>]
let ``nn evaluate and nn predict use the saved model: predictions are bit-identical to the trained network's`` () =
    let folder = tempFolder ()
    let code, _ = run [ "train"; "--data"; "iris"; "--layers"; "4,6,3"; "--epochs"; "20"; "--out"; folder ]
    Assert.Equal(0, code)
    let model = Path.Combine(folder, "model.safetensors")
    let evaluated, table = run [ "evaluate"; "--model"; model; "--data"; "iris" ]
    Assert.Equal(0, evaluated)
    Assert.Contains("150", table)
    let rows = Path.Combine(folder, "rows.csv")
    File.WriteAllLines(rows, [| "5.1,3.5,1.4,0.2"; "6.7,3.0,5.2,2.3" |])
    let predicted, lines = run [ "predict"; "--model"; model; "--input"; rows ]
    Assert.Equal(0, predicted)
    let loaded = Engine.Serialization.ModelFile.Load model
    let x = (nonNull loaded.Standardizer).Transform(Engine.Data.Dataset([| 5.1; 3.5; 1.4; 0.2; 6.7; 3.0; 5.2; 2.3 |], 4, [| 0.0; 0.0 |], 1)).Features
    let expected = loaded.Network.Forward(ReadOnlySpan x, 2).ToArray()
    let printed = lines.Split('\n', StringSplitOptions.RemoveEmptyEntries) |> Array.skip 1 |> Array.collect (fun l -> l.Trim().Split(',') |> Array.skip 1 |> Array.map float)
    Assert.Equal<float[]>(expected, printed)
    Directory.Delete(folder, true)

[<Fact>]
let ``nn gradcheck passes for every registered activation`` () =
    for activation in Registry<Activation>.Builtin.Names do
        let code, output = run [ "gradcheck"; "--layers"; "4,8,3"; "--activation"; activation; "--loss"; "mse" ]
        Assert.True((code = 0), output)
        Assert.Contains("passed", output)

[<Fact>]
let ``nn walkthrough prints the notes' table, and --example iq the nine derivatives`` () =
    let code, output = run [ "walkthrough" ]
    Assert.Equal(0, code)
    for number in [ "-0.1392205"; "0.1449360"; "-0.028701"; "0.106903"; "0.213849"; "-0.139010"; "0.144936"; "-0.118169"; "0.10028701"; "-0.09913896"; "0.19855064" ] do
        Assert.Contains(number, output)
    let code, output = run [ "walkthrough"; "--example"; "iq" ]
    Assert.Equal(0, code)
    for number in [ "176"; "29929"; "346"; "30448"; "27680"; "2768" ] do Assert.Contains(number, output)

[<Fact>]
let ``bad arguments and bad input exit with 2 and say what is wrong`` () =
    let cases =
        [ [ "train"; "--activation"; "nope" ], "Unknown activation 'nope'"
          [ "train"; "--layers"; "10,3" ], "--layers must start with 64"
          [ "train"; "--lr"; "-1" ], "LearningRate must be positive"
          [ "train"; "--data"; "missing.csv" ], "--data must be one of"
          [ "train"; "--threads"; "0" ], "--threads must be at least 1, but is 0"
          [ "evaluate" ], "--model is required"
          [ "evaluate"; "--model"; "missing.safetensors" ], "missing.safetensors"
          [ "gradcheck"; "--layers"; "4,x" ], "--layers must list positive integers"
          [ "walkthrough"; "--example"; "nope" ], "--example must be batch, iq, vanishing or saturation"
          [ "no-such-command" ], "no-such-command" ]
    for args, message in cases do
        let code, output = run args
        Assert.True((code = 2), sprintf "%A exited %d: %s" args code output)
        Assert.Contains(message, output)

[<Fact>]
let ``training that diverges exits with 1 and names the epoch and batch`` () =
    let folder = tempFolder ()
    let csv = Path.Combine(Path.GetTempPath(), "iq-" + Guid.NewGuid().ToString("N") + ".csv")
    File.WriteAllLines(csv, [| "80,8,3.1"; "60,9,5.2"; "70,5,8.3"; "75,7,6.4"; "65,6,4.5" |])
    // Regression (the targets are not class labels): a learning rate of 5 overshoots and overflows.
    let code, output = run [ "train"; "--data"; csv; "--lr"; "5"; "--batch"; "1"; "--epochs"; "200"; "--out"; folder; "--activation"; "identity" ]
    Assert.True((code = 1), output)
    Assert.Contains("diverged at epoch", output)
    File.Delete csv
