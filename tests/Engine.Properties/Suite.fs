/// How every property of the suite runs: through the verification kit's Run (the run seed from VERIFY_SEED, CI or a fresh one;
/// VERIFY_SCALE; shrinking; cases that could not be built counted), with its report printed to the test's output.
module Suite

open FsCheck
open FsCheck.FSharp
open Xunit.Abstractions
open Engine
open Engine.Activations
open Engine.Losses
open Engine.Verification

/// The registered activations and losses the properties draw from.
let activations = Registry<Activation>.Builtin
let losses = Registry<Loss>.Builtin

/// Runs a property of `cases` cases (at VERIFY_SCALE 1) and prints its report: the seed, cases built, each accuracy log, the
/// notes and the cases not built. A failure raises the kit's VerificationException with the smallest failing case and the seed.
let check (output: ITestOutputHelper) (name: string) (cases: int) (logs: Accuracy list) (notes: unit -> string list)
          (arbitrary: Arbitrary<'T>) (body: 'T -> Outcome) =
    let report = Run.propertyWith name cases logs notes Seeds.run arbitrary body
    output.WriteLine(string report)

/// A property whose cases are all built and that checks a boolean with a message.
let holds (condition: bool) (message: unit -> string) = if condition then Outcome.Passed else Checked [ message () ]

/// A registered component with drawn hyperparameters, paired with a case; shrinking resets the hyperparameters, then the case.
let withComponent (registry: Registry<'C>) (arbitrary: Arbitrary<'S>) : Arbitrary<Component * 'S> =
    let generate = Gen.zip (Draw.componentOf registry registry.Names) arbitrary.Generator
    let shrink (c: Component, s: 'S) =
        Seq.append (Draw.shrink c |> Seq.map (fun d -> d, s)) (arbitrary.Shrinker s |> Seq.map (fun t -> c, t))
    Arb.fromGenShrink (generate, shrink)
