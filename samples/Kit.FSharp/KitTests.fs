module Kit.FSharp.KitTests

open Xunit
open Engine.Activations
open Engine.Networks
open Engine.Verification

[<Fact>]
let ``the bent identity is verified`` () =
    BentIdentity() |> Verify.activationWith (fun z -> (sqrt (z * z + 1.0) - 1.0) / 2.0 + z) |> ignore

[<Fact>]
let ``a dense tanh layer of mine is verified`` () =
    Verify.layer (fun () -> Dense(4, 3, Tanh())) |> ignore
