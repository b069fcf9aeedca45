/// Property 3: each loss's gradient against numerics and dual numbers; each fused path against the chain rule. Every
/// hyperparameter is drawn. (Property 9, the corners, is in Kinks.fs.)
module LossProperties

open Xunit
open Xunit.Abstractions
open Engine.Verification

let numericalLog = Accuracy "3. loss gradient vs 5-point stencil"
let exactLog = Accuracy "3. loss gradient vs dual numbers"
let fusedLog = Accuracy "3. fused delta and value vs chain rule"

/// A loss with drawn hyperparameters, and the row it is checked on.
let samples = Suite.withComponent Suite.losses LossCheck.Samples

type Tests(output: ITestOutputHelper) =
    [<Fact>]
    member _.``every loss's gradient matches the 5-point stencil and dual numbers`` () =
        Suite.check output "3. loss gradients" 300 [ numericalLog; exactLog ] (fun () -> []) samples (fun (c, s) ->
            let loss = Draw.create Suite.losses c
            LossCheck.Check(loss, ReferenceTable.loss loss, numericalLog, exactLog, s))

    [<Fact>]
    member _.``the fused output paths equal the unfused chain rule wherever both are finite`` () =
        Suite.check output "3. fused output paths" 300 [ fusedLog ] (fun () -> []) samples (fun (c, s) ->
            LossCheck.CheckFused(Draw.create Suite.losses c, Suite.activations.All, fusedLog, s))
