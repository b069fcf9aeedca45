/// nn train --diagnostics: the per-layer statistics written beside the model, and the warning when gradients vanish.
module Diagnostics

open System.IO
open Xunit
open Tool

let private png (path: string) = Assert.Equal<byte[]>([| 0x89uy; 0x50uy; 0x4Euy; 0x47uy |], (File.ReadAllBytes path)[0..3])

[<Fact>]
let ``nn train --diagnostics on six sigmoid hidden layers writes gradients.csv and both plots, and warns that layer 1 learns over 100 times slower`` () =
    withFolder (fun folder ->
        let run = runIn folder [ "train"; "--layers"; "64,30,30,30,30,30,30,10"; "--epochs"; "3"; "--diagnostics"; "--out"; "deep" ]
        succeeded run
        let csv = File.ReadAllLines(Path.Combine(folder, "deep", "gradients.csv"))
        Assert.Equal("epoch,layer,delta_norm,weight_gradient_norm,bias_gradient_norm,update_ratio,saturated_fraction", csv[0])
        // Three epochs of seven layers; the softmax output declares no saturation, so its last column is empty.
        Assert.Equal(1 + 3 * 7, csv.Length)
        Assert.StartsWith("3,7,", csv[21])
        Assert.EndsWith(",", csv[21])
        png (Path.Combine(folder, "deep", "gradients.png"))
        png (Path.Combine(folder, "deep", "saturation.png"))
        let warnings = run.ErrLines |> Array.filter (fun l -> l.StartsWith "warning: layer 1 learned")
        Assert.True((warnings.Length = 1), string run)
        Assert.Contains("times slower than layer 7", warnings[0])
        Assert.Contains("in 3 of 3 epochs", warnings[0])
        Assert.Contains("gradients.csv, gradients.png, saturation.png", run.Err))

[<Fact>]
let ``--diagnostics observes without changing the training: the same metrics as without it, and no warning for the default network`` () =
    withFolder (fun folder ->
        let observed = runIn folder [ "train"; "--epochs"; "5"; "--diagnostics"; "--out"; "observed" ]
        let plain = runIn folder [ "train"; "--epochs"; "5"; "--out"; "plain" ]
        succeeded observed
        succeeded plain
        Assert.Equal<string[]>(File.ReadAllLines(Path.Combine(folder, "plain", "metrics.csv")), File.ReadAllLines(Path.Combine(folder, "observed", "metrics.csv")))
        Assert.DoesNotContain("warning:", observed.Err)
        Assert.True(File.Exists(Path.Combine(folder, "observed", "gradients.csv")))
        Assert.False(File.Exists(Path.Combine(folder, "plain", "gradients.csv"))))
