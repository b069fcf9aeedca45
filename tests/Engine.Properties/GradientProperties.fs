/// Property 1: every ∂C/∂W, ∂C/∂b and ∂C/∂x of random dense networks (every registered activation and loss, every
/// hyperparameter drawn) against the 5-point stencil and against dual numbers.
module GradientProperties

open Xunit
open Xunit.Abstractions
open Engine.Verification

let numericalLog = Accuracy "1. dC/dW, dC/db, dC/dx vs 5-point stencil"
let exactLog = Accuracy "1. dC/dW, dC/db, dC/dx vs dual numbers"

/// The exact oracle of a case (ReferenceNetwork), where the reference table has a row for every activation and the loss.
let exactOracle (log: Accuracy) (case: Case) =
    ReferenceNetwork.ofCase case |> Option.map (fun r -> log, fun target -> (ReferenceNetwork.cost r target case.Inputs case.Targets case.Batch).D)

/// The failures of one case placed with the kink margin, against both oracles.
let check (numerical: Accuracy) (exact: Accuracy) (case: Case) = NetworkCheck.Check(None, numerical, exactOracle exact case, case)

/// Random dense networks over the registries, and how each is built.
let topologies = DenseNetworks.topologies Suite.activations Suite.losses
let build = DenseNetworks.build Suite.activations Suite.losses

type Tests(output: ITestOutputHelper) =
    [<Fact>]
    member _.``every gradient of random networks matches the 5-point stencil and dual numbers`` () =
        Suite.check output "1. gradients of random dense networks" 100 [ numericalLog; exactLog ] (fun () -> []) topologies (fun t ->
            match build t with
            | Error reason -> NotBuilt reason
            | Ok case -> Checked(check numericalLog exactLog case))
