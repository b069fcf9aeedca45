/// The verification kit (src/Engine.Verification) as a user meets it: a wrong rule fails with the smallest case and the seed,
/// the same seed replays the same cases, a generator that builds too few cases fails, and the documentation's code is the
/// code the samples compile and run.
module Facts.VerificationKit

open System
open System.IO
open System.Text.RegularExpressions
open FsCheck.FSharp
open Xunit
open Engine.Activations
open Engine.Networks
open Engine.Verification
open Facts.Support

/// A dense layer whose bias gradient is 0.1 % too large.
type WrongBiasDense(inputs: int, outputs: int) =
    inherit Layer(inputs, outputs)
    let inner = Dense(inputs, outputs, Identity())
    override _.Parameters = inner.Parameters
    override _.ForwardCore(input, output, batch) = inner.Forward(input, batch).CopyTo(output)
    override _.BackwardCore(input, outputGradient, inputGradient) =
        inner.Backward(input, outputGradient, inputGradient)
        for i in 0 .. inner.BiasGradient.Length - 1 do inner.BiasGradient[i] <- 1.001 * inner.BiasGradient[i]

[<Fact>]
let ``a wrong activation fails with the smallest failing case, both values and the seed that replays it`` () =
    let error = Assert.Throws<VerificationException>(fun () -> ActivationCheck.Verify(BrokenSigmoid 1.001, CheckOptions(Seed = 5UL)) |> ignore)
    for mention in [ "activation sigmoid"; "smallest failing case: width 1, rows 1"; "analytic"; "5-point stencil"; "VERIFY_SEED=5" ] do
        Assert.Contains(mention, error.Message)

[<Fact>]
let ``a wrong layer gradient fails, naming the parameter element`` () =
    let error = Assert.Throws<VerificationException>(fun () -> LayerCheck.Verify((fun () -> WrongBiasDense(3, 2) :> Layer), CheckOptions(Seed = 1UL)) |> ignore)
    Assert.Matches(@"bias\[\d\]: analytic", error.Message)

[<Fact>]
let ``the built-in rules pass, and the same seed replays the same cases`` () =
    let run () = ActivationCheck.Verify(Tanh(), (fun z -> tanh z), CheckOptions(Seed = 3UL, Cases = 40))
    let first, second = run (), run ()
    // 40 cases at VERIFY_SCALE = 1; a mutation run's 0.3 runs 12.
    Assert.Equal(Seeds.cases 40, first.Built)
    Assert.Equal<float list>([ for a in first.Accuracy -> a.Max ], [ for a in second.Accuracy -> a.Max ])
    LayerCheck.Verify((fun () -> Conv2D(ImageShape(2, 5, 4), 3, 3, 2, 2, "same", Relu()) :> Layer), CheckOptions(Seed = 3UL)) |> ignore

[<Fact>]
let ``a generator that cannot build most of its cases fails the check, naming the reason`` () =
    let error = Assert.Throws<VerificationException>(fun () ->
        Run.propertyWith "never built" 10 [] (fun () -> []) 1UL (FsCheck.FSharp.Arb.fromGen (Gen.choose (0, 9))) (fun _ -> NotBuilt "no placement") |> ignore)
    Assert.Contains($"built only 0 of {Seeds.cases 10} cases", error.Message)
    Assert.Contains($"not built ({Seeds.cases 10}): no placement", error.Message)

[<Fact>]
let ``each check's seed depends on the run seed and its name; VERIFY_SEED must be an integer`` () =
    Assert.NotEqual(Seeds.forCheck 1UL "a", Seeds.forCheck 2UL "a")
    Assert.NotEqual(Seeds.forCheck 1UL "a", Seeds.forCheck 1UL "b")
    Assert.Equal(Seeds.forCheck 1UL "a", Seeds.forCheck 1UL "a")
    Assert.Equal(42UL, Seeds.parse "42")
    throwsFor "VERIFY_SEED" [ "'x'" ] (fun () -> Seeds.parse "x")

[<Fact>]
let ``every code block of docs/verification-kit.md stands verbatim in the sample file it names`` () =
    let root = RepositoryRoot.path
    let doc = File.ReadAllText(Path.Combine(root, "docs", "verification-kit.md")).Replace("\r\n", "\n")
    let blocks = Regex.Matches(doc, "<!-- file: (?<file>[^ ]+) -->\n```[a-z]+\n(?<code>.*?)```", RegexOptions.Singleline)
    Assert.True(blocks.Count >= 6, sprintf "%d code blocks found" blocks.Count)
    for block in blocks do
        let file = block.Groups["file"].Value
        let source = File.ReadAllText(Path.Combine(root, file)).Replace("\r\n", "\n")
        Assert.True(source.Contains block.Groups["code"].Value, sprintf "the block shown for %s is not in it:\n%s" file block.Groups["code"].Value)
