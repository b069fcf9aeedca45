/// nn walkthrough --example vanishing and saturation: the notes' claims printed, and their plots drawn on request.
module Walkthroughs

open System.IO
open Xunit
open Tool

let private assertPng (path: string) =
    Assert.Equal<byte[]>([| 0x89uy; 0x50uy; 0x4Euy; 0x47uy |], (File.ReadAllBytes path)[0..3])

[<Fact>]
let ``--example vanishing prints ‖∂C/∂bˡ‖ by layer for the three networks, the first-to-last ratios, and plots them`` () =
    withFolder (fun folder ->
        let run = runIn folder [ "walkthrough"; "--example"; "vanishing"; "--plot"; "plot.png" ]
        succeeded run
        // The values Seed000VanishingGradients asserts, as the walkthrough prints them (layer 1 and the output at initialization).
        for text in [ "sigmoid, weights N(0, 1)"; "sigmoid, Glorot weights"; "ReLU, He weights"; "3.15e-02"; "3.76e-01"; "5.97e-04"; "2.02e-01"; "1/12"; "1/338" ] do
            Assert.Contains(text, run.Out)
        assertPng (Path.Combine(folder, "plot.png")))

[<Fact>]
let ``--example saturation prints the notes' equations and the four cost curves, and plots them`` () =
    withFolder (fun folder ->
        let run = runIn folder [ "walkthrough"; "--example"; "saturation"; "--plot"; "plot.png" ]
        succeeded run
        // BP1's δ at the saturated start and the costs after 50 epochs that Seed001SaturatedNeuron asserts.
        for text in [ "BP1"; "δᴸ = a − y"; "0.017345"; "0.982014"; "0.476223"; "0.103700"; "0.074889"; "0.082528" ] do
            Assert.Contains(text, run.Out)
        assertPng (Path.Combine(folder, "plot.png")))

[<Fact>]
let ``--plot with an example that draws none is an error naming both options`` () =
    run [ "walkthrough"; "--example"; "iq"; "--plot"; "x.png" ] |> failedWith 2 [ "--plot"; "vanishing or saturation" ]
