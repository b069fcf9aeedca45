/// The learning-rate schedules' settings: each refused by name outside its domain, with the value it was given and the
/// domain in words, and the domain's edges accepted.
module Facts.Schedules

open System
open Xunit
open Engine.Schedules
open Facts.Support

/// Asserts that `create` throws an ArgumentOutOfRangeException naming `name`, holding `value` and saying `domain`.
let private refused (name: string) (value: obj) (domain: string list) (create: unit -> Schedule) =
    let error = Assert.Throws<ArgumentOutOfRangeException>(fun () -> create () |> ignore)
    Assert.Equal(name, error.ParamName)
    Assert.Equal(value, nonNull error.ActualValue)
    mentions domain error.Message

[<Fact>]
let ``each schedule refuses a setting outside its domain by name, with the value given and the domain in words`` () =
    refused "tMax" -1 [ "at least 1"; "0 for the whole run" ] (fun () -> CosineAnnealing(-1, 0.0))
    for etaMin in [ -1e-3; nan; infinity ] do refused "etaMin" etaMin [ "non-negative"; "finite" ] (fun () -> CosineAnnealing(0, etaMin))
    for gamma in [ 0.0; -0.5; nan; infinity ] do
        refused "gamma" gamma [ "positive"; "finite" ] (fun () -> Exponential gamma)
        refused "gamma" gamma [ "positive"; "finite" ] (fun () -> StepDecay(1, gamma))
    refused "stepSize" 0 [ "at least 1" ] (fun () -> StepDecay(0, 0.5))
    for start in [ 0.0; 1.5; nan ] do refused "startFactor" start [ "(0, 1]" ] (fun () -> LinearWarmup(start, 1.0, 5))
    for ending in [ -0.1; 1.5; nan ] do refused "endFactor" ending [ "[0, 1]" ] (fun () -> LinearWarmup(0.5, ending, 5))
    refused "totalIters" 0 [ "at least 1" ] (fun () -> LinearWarmup(0.5, 1.0, 0))

[<Fact>]
let ``the edges of each domain are accepted: a period of 1, a floor of 0, a factor of 1, a ramp of 1 epoch from 1 down to 0`` () =
    Assert.Equal(0.0, CosineAnnealing(1, 0.0).Rate(0.5, 1, 10))
    Assert.Equal(0.5, StepDecay(1, 1.0).Rate(0.5, 3, 10))
    Assert.Equal(0.5, Exponential(1.0).Rate(0.5, 3, 10))
    let ramp = LinearWarmup(1.0, 0.0, 1)
    Assert.Equal((0.5, 0.0), (ramp.Rate(0.5, 0, 10), ramp.Rate(0.5, 1, 10)))
