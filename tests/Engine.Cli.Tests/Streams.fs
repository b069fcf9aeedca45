/// Standard output carries results and only results, never wrapped; everything else goes to standard error.
module Streams

open System
open System.IO
open Xunit
open Tool

[<Fact>]
let ``predict writes CSV rows of any length unwrapped to standard output and nothing to standard error`` () =
    withFolder (fun folder ->
        succeeded (runIn folder [ "train"; "--epochs"; "2"; "--out"; "digits" ])
        let rows = String.Join("\n", [ for i in 0 .. 9 -> String.Join(",", Array.init 64 (fun j -> string ((i * 7 + j) % 17))) ])
        let run = runWith folder [] rows [ "predict"; "--model"; Path.Combine("digits", "model.safetensors") ]
        succeeded run
        Assert.Equal("", run.Err)
        Assert.Equal(11, run.OutLines.Length)
        for line in run.OutLines do
            Assert.Equal(11, line.Split(',').Length)
        Assert.True(run.OutLines |> Array.exists (fun l -> l.Length > 120), "rows wider than a terminal"))

[<Fact>]
let ``a failed predict writes one error line to standard error and nothing to standard output`` () =
    withFolder (fun folder ->
        succeeded (runIn folder [ "train"; "--data"; "iris"; "--epochs"; "2"; "--out"; "iris" ])
        runWith folder [] "1,2,3\n" [ "predict"; "--model"; Path.Combine("iris", "model.safetensors") ]
        |> failedWith 2 [ "3 features"; "takes 4"; "standard input" ])

[<Fact>]
let ``train prints only the run folder on standard output; its progress and summary go to standard error`` () =
    withFolder (fun folder ->
        let run = runIn folder [ "train"; "--data"; "iris"; "--epochs"; "3"; "--out"; "iris" ]
        succeeded run
        Assert.Equal("iris\n", run.Out)
        Assert.Contains("epoch 3/3", run.Err)
        Assert.Contains("Wrote iris/", run.Err))

[<Fact>]
let ``train --format json prints one JSON object on standard output: the folder, the model and the final figures`` () =
    withFolder (fun folder ->
        let run = runIn folder [ "train"; "--data"; "iris"; "--epochs"; "3"; "--out"; "iris"; "--format"; "json" ]
        succeeded run
        Assert.Equal(1, run.OutLines.Length)
        use json = Text.Json.JsonDocument.Parse run.Out
        Assert.Equal("iris", json.RootElement.GetProperty("folder").GetString())
        Assert.Equal(3, json.RootElement.GetProperty("epochs").GetInt32())
        Assert.True(File.Exists(Path.Combine(folder, json.RootElement.GetProperty("model").GetString() |> nonNull)))
        let accuracy = json.RootElement.GetProperty("test").GetProperty("accuracy").GetDouble()
        Assert.InRange(accuracy, 0.0, 1.0))

[<Fact>]
let ``evaluate --format json prints one JSON object on standard output`` () =
    withFolder (fun folder ->
        succeeded (runIn folder [ "train"; "--data"; "iris"; "--epochs"; "3"; "--out"; "iris" ])
        let run = runIn folder [ "evaluate"; "--model"; Path.Combine("iris", "model.safetensors"); "--data"; "iris"; "--format"; "json" ]
        succeeded run
        use json = Text.Json.JsonDocument.Parse run.Out
        Assert.Equal(150, json.RootElement.GetProperty("samples").GetInt32())
        Assert.Equal("", run.Err))

[<Fact>]
let ``help goes to standard output and its examples name files the train example writes`` () =
    let help = run [ "--help" ]
    succeeded help
    Assert.DoesNotContain("runs/latest", help.Out)
    Assert.Contains("--out runs/iris", help.Out)
    Assert.Contains("runs/iris/model.safetensors", help.Out)
