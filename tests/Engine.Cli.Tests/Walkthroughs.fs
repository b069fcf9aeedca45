/// nn walkthrough --example vanishing and saturation: the notes' claims printed, and their plots drawn on request.
module Walkthroughs

open System
open System.IO
open Xunit
open CommandLine

let private png () = Path.Combine(Path.GetTempPath(), "verify-walkthrough-" + Guid.NewGuid().ToString("N") + ".png")

let private assertPng (path: string) =
    Assert.Equal<byte[]>([| 0x89uy; 0x50uy; 0x4Euy; 0x47uy |], (File.ReadAllBytes path)[0..3])
    File.Delete path

[<Fact>]
let ``--example vanishing prints ‖∂C/∂bˡ‖ by layer for the three networks, the first-to-last ratios, and plots them`` () =
    let plot = png ()
    let code, output = run [ "walkthrough"; "--example"; "vanishing"; "--plot"; plot ]
    Assert.True((code = 0), output)
    // The values Seed000VanishingGradients asserts, as the walkthrough prints them (layer 1 and the output at initialization).
    for text in [ "sigmoid, weights N(0, 1)"; "sigmoid, Glorot weights"; "ReLU, He weights"; "3.15e-02"; "3.76e-01"; "5.97e-04"; "2.02e-01"; "1/12"; "1/338" ] do
        Assert.Contains(text, output)
    assertPng plot

[<Fact>]
let ``--example saturation prints the notes' equations and the four cost curves, and plots them`` () =
    let plot = png ()
    let code, output = run [ "walkthrough"; "--example"; "saturation"; "--plot"; plot ]
    Assert.True((code = 0), output)
    // BP1's δ at the saturated start and the costs after 50 epochs that Seed001SaturatedNeuron asserts.
    for text in [ "BP1"; "δᴸ = a − y"; "0.017345"; "0.982014"; "0.476223"; "0.103700"; "0.074889"; "0.082528" ] do
        Assert.Contains(text, output)
    assertPng plot
