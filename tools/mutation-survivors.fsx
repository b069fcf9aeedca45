// Writes docs/mutation-survivors.md: every mutant of a Stryker.NET run that no test detected (Survived or NoCoverage),
// each with the reason it is left. Usage, from the repository's root:
//   dotnet fsi tools/mutation-survivors.fsx src/Engine/StrykerOutput/<run>/reports/mutation-report.json <commit>
open System
open System.IO
open System.Text.Json

/// A class of surviving mutant: the mutants it covers (file, a fragment of the mutated line, a fragment of the mutator's
/// name or of its replacement; "" matches any) and why no test can, or need, detect them.
type Rule = { File: string; Line: string; Mutator: string; Reason: string }

let equivalent reason = "equivalent: " + reason
let assertsText test = "detected since this run: a test asserts the text this mutant empties (" + test + ")"
let killedBy test = "detected since this run, by hand: " + test
let notPinned = "message wording: the error's type, argument and the values it names are tested, not every word"

let rules =
    [ // Functions continuous at the boundary the mutant moves.
      { File = "Elu.cs"; Line = "z > 0"; Mutator = "Equality"; Reason = equivalent "at z = 0 both branches give 0 (value) and 1 (derivative)" }
      { File = "LeakyRelu.cs"; Line = "z > 0 ? z"; Mutator = "Equality"; Reason = equivalent "at z = 0 both branches give 0" }
      { File = "Sigmoid.cs"; Line = "z >= 0 ? r : e * r"; Mutator = "Equality"; Reason = equivalent "at z = 0, e = 1 and both branches give 1/2" }
      // Loop bounds whose extra or missing iteration does nothing.
      { File = ""; Line = "+ Lanes <="; Mutator = "Equality"; Reason = equivalent "the scalar tail computes the elements the vector loop leaves" }
      { File = ""; Line = "+ 4 * Lanes <="; Mutator = "Equality"; Reason = equivalent "the following loops compute the elements this one leaves" }
      { File = "SafeTensors.cs"; Line = "start < tensor.Values.Length"; Mutator = "Equality"; Reason = equivalent "the extra pass writes 0 values" }
      { File = "CsvReader.cs"; Line = "width >= 0 && row.Length"; Mutator = "Equality"; Reason = equivalent "a parsed row has at least one field, so width is never 0 there" }
      { File = "Pool2D.cs"; Line = "stride <= 0"; Mutator = "Equality"; Reason = equivalent "the public constructors turn a stride of 0 into the window size before this check" }
      { File = "PerceptronTrick.cs"; Line = "learningRate * error"; Mutator = "Arithmetic"; Reason = equivalent "the error is ±1, so η·e = η/e" }
      { File = "Split.cs"; Line = "OrderBy"; Mutator = "Linq"; Reason = equivalent "visiting the classes in the other order draws another, equally stratified split; which one a seed gives is not specified" }
      { File = "Sgd.cs"; Line = "IsPositiveInfinity(bestLoss)"; Mutator = ""; Reason = equivalent "restores the initial parameters only when every validation loss was +∞ or NaN, which the loss's clamped logarithms and the divergence checks prevent" }
      { File = "GradientCheck.cs"; Line = "error >= maxError"; Mutator = "Equality"; Reason = equivalent "only which of two equal errors is named" }
      { File = "GradientCheck.cs"; Line = "1e-3 * Math.Max"; Mutator = "Arithmetic"; Reason = equivalent "a smaller step for |θ| > 1: the stencil stays accurate to the tolerance" }
      { File = "ModelFile.cs"; Line = "flushToDisk"; Mutator = ""; Reason = equivalent "durability on power loss, not observable in a test" }
      { File = "ModelFile.cs"; Line = "stream.Flush()"; Mutator = ""; Reason = equivalent "durability: the file stream is flushed to disk right after, and disposed" }
      { File = "Standardizer.cs"; Line = "(row[j] - means[j]) * (row[j] - means[j])"; Mutator = "Arithmetic"; Reason = equivalent "Σ(x + m)(x − m) = Σx² − n·m² = Σ(x − m)² when m is the mean: the same deviation up to rounding" }
      { File = "Huber.cs"; Line = "r <= Delta"; Mutator = "Equality"; Reason = equivalent "at r = δ both branches give δ²/2" }
      { File = "CategoricalCrossEntropy.cs"; Line = "> SumTolerance"; Mutator = "Equality"; Reason = equivalent "only a target row whose sum is off by exactly the 1e-9 rounding allowance is judged differently" }
      // The matrix products: choices of speed whose every alternative computes the same outputs.
      { File = "MatrixProducts.cs"; Line = "m >= PackedProduct.MicroRows"; Mutator = "Equality"; Reason = equivalent "chooses between two correct loops (the one-row dot loop or the packed kernel): the same outputs up to summation order" }
      { File = "MatrixProducts.cs"; Line = "if (m == 0 || n == 0) return;"; Mutator = ""; Reason = equivalent "an early exit: for an empty C the loops below do nothing" }
      { File = "PackedProduct.cs"; Line = "int blocks ="; Mutator = "Arithmetic"; Reason = equivalent "another blocking of the shared dimension: the same sum in another order, within the 1e-12 bound" }
      { File = "PackedProduct.cs"; Line = "int blockDepth ="; Mutator = "Arithmetic"; Reason = equivalent "another blocking of the shared dimension: the same sum in another order, within the 1e-12 bound" }
      { File = "PackedProduct.cs"; Line = "for (int"; Mutator = "Equality"; Reason = equivalent "an extra pass over an empty block or strip, which stores nothing" }
      { File = "PackedProduct.cs"; Line = "int packedFrom"; Mutator = ""; Reason = equivalent "packs every strip instead of reading whole ones in place: the same values, more copying" }
      { File = "PackedProduct.cs"; Line = "pinned: true"; Mutator = "Boolean"; Reason = "not observable in a test: an unpinned buffer breaks only if the GC moves it during a product" }
      { File = "PackedProduct.cs"; Line = "live == width"; Mutator = "Equality"; Reason = equivalent "transposes only cut strips: their extra columns feed outputs that are not stored" }
      { File = "PackedProduct.cs"; Line = "p + 4 <= depth"; Mutator = ""; Reason = equivalent "the scalar loop after it packs the shared indices the transposes leave (or re-packs those they overran)" }
      { File = "PackedProduct.cs"; Line = "to[r] = 0.0"; Mutator = ""; Reason = equivalent "the padding columns of a cut strip feed only outputs that are not stored" }
      { File = "ProductThreads.cs"; Line = ""; Mutator = "Block removal"; Reason = "defensive: a worker forwards an exception (e.g. out of memory) instead of deadlocking; the kernel does not throw in a test" }
      { File = "ProductThreads.cs"; Line = "new Thread(Loop)"; Mutator = ""; Reason = "not observable in a test: a foreground or unnamed worker changes only process exit and debugging" }
      { File = "ProductThreads.cs"; Line = "ManualResetEventSlim"; Mutator = ""; Reason = "gone: the events were replaced by semaphores after this run (commit 5a50507)" }
      { File = "ProductThreads.cs"; Line = ""; Mutator = ""; Reason = equivalent "how many threads share a product, or whether it runs on one: every output is computed the same way (bit-identical by design, Facts.Kernels and Facts.Training)" }
      { File = "StridedOperand.cs"; Line = "this[int row, int column]"; Mutator = ""; Reason = "gone: the indexer was unused and removed after this run" }
      { File = "VectorOps.cs"; Line = "i + Lanes <= x.Length; i += Lanes)"; Mutator = "Arithmetic"; Reason = equivalent "the vector pre-scan reads past the span but stops where the scalar scan starts; a value past the span is never reported" }
      // Detected since this run: each re-applied by hand and failed by the named test (not yet seen by a Stryker run).
      { File = "MatrixProducts.cs"; Line = "Guard."; Mutator = "Statement"; Reason = killedBy "Facts.Kernels: every product checks its dimensions and each of its three buffers" }
      { File = "VectorOps.cs"; Line = "for (; i < x.Length; i++)"; Mutator = "Equality"; Reason = killedBy "Facts.Kernels: the finiteness scan reads only its span" }
      { File = "Split.cs"; Line = "i * data.TargetWidth"; Mutator = "Arithmetic"; Reason = killedBy "Facts.Data: a stratified split keeps the original order and stratifies by each row's first target" }
      { File = "Conv2D.cs"; Line = "kernelWidth <= 0"; Mutator = "Equality"; Reason = killedBy "Facts.Networks: zero-sized kernels and images are refused by name" }
      { File = "ImageShape.cs"; Line = "Height > 0"; Mutator = "Equality"; Reason = killedBy "Facts.Networks: zero-sized kernels and images are refused by name" }
      { File = "Pool2D.cs"; Line = "size <= 0"; Mutator = "Equality"; Reason = killedBy "Facts.Networks: zero-sized kernels and images are refused by name" }
      { File = "Sgd.cs"; Line = "IsFinite(cost)"; Mutator = "Statement"; Reason = killedBy "Facts.Training: divergence names the batch where the loss overflowed" }
      { File = "GradientCheck.cs"; Line = "h = (theta + h) - theta"; Mutator = "Arithmetic"; Reason = killedBy "Facts.Verification: a wrong derivative fails, the right one passes" }
      { File = "GradientCheck.cs"; Line = "hash = hash * 31 + (z > kink"; Mutator = "hash / 31"; Reason = killedBy "Facts.Verification: a stencil is skipped when only an earlier unit crosses its kink (hash / 31)" }
      { File = "GradientCheck.cs"; Line = "hash = hash * 31 + (loss.KinkOffset"; Mutator = "hash / 31"; Reason = killedBy "Facts.Verification: a stencil is skipped when only an earlier output crosses the loss's corner" }
      { File = ""; Line = "hash"; Mutator = ""; Reason = equivalent "the kink fingerprint still changes exactly when a side changes (a flipped label, another constant), or differs only for a value exactly on a kink" }
      { File = "Conv2D.cs"; Line = "new Parameter("; Mutator = "String"; Reason = equivalent "the parameter's name, used the same way on save and load" }
      { File = "GradientCheck.cs"; Line = "worst = \"-\""; Mutator = "String"; Reason = equivalent "the placeholder label of a group, replaced by the first value checked" }
      { File = "ProductThreads.cs"; Line = "Engine product worker"; Mutator = "String"; Reason = "not observable in a test: the worker thread's name, for debuggers" }
      { File = "Dataset.cs"; Line = ""; Mutator = "String"; Reason = assertsText "Facts.Training: settings, labels, layer kinds and classification rules are refused in words" }
      { File = "Loss.cs"; Line = ""; Mutator = "String"; Reason = assertsText "Facts.Training: settings, labels, layer kinds and classification rules are refused in words" }
      { File = "LayerSpec.cs"; Line = ""; Mutator = "String"; Reason = assertsText "Facts.Training: settings, labels, layer kinds and classification rules are refused in words" }
      { File = "SgdOptions.cs"; Line = ""; Mutator = "String"; Reason = assertsText "Facts.Training: settings, labels, layer kinds and classification rules are refused in words" }
      { File = "TrainingDivergedException.cs"; Line = ""; Mutator = "String"; Reason = assertsText "Facts.Training: settings, labels, layer kinds and classification rules are refused in words" }
      { File = "IdxReader.cs"; Line = ""; Mutator = "String"; Reason = assertsText "Facts.Data: IDX edges" }
      { File = "ModelFile.cs"; Line = ""; Mutator = "String"; Reason = assertsText "Facts.Serialization: each malformed header or model names what is wrong, in words" }
      { File = "SafeTensors.cs"; Line = ""; Mutator = "String"; Reason = assertsText "Facts.Serialization: each malformed header or model names what is wrong, in words" }
      { File = "Sgd.cs"; Line = ""; Mutator = "String"; Reason = assertsText "Facts.Training: divergence names the batch where the loss overflowed" }
      // Messages: the throw and its argument are asserted; the rest of the text is not.
      { File = ""; Line = ""; Mutator = "String mutation"; Reason = notPinned }
      { File = ""; Line = "throw new"; Mutator = "Arithmetic"; Reason = notPinned }
      { File = ""; Line = "?? \"missing\""; Mutator = "Null coalescing"; Reason = notPinned }
      { File = ""; Line = "?? \"null\""; Mutator = "Null coalescing"; Reason = notPinned } ]

let classify (file: string) (line: string) (mutator: string) =
    rules
    |> List.tryFind (fun r -> file.EndsWith r.File && line.Contains r.Line && mutator.Contains r.Mutator)
    |> Option.map _.Reason
    |> Option.defaultValue "open: to study"

let args = fsi.CommandLineArgs |> Array.skip 1
let report = JsonDocument.Parse(File.ReadAllText args[0]).RootElement
let commit = if args.Length > 1 then args[1] else "?"
let cell (text: string) = text.Replace("|", "\\|").Replace("`", "'")
let rows =
    [ for file in report.GetProperty("files").EnumerateObject() do
        let name = file.Name.Substring(file.Name.IndexOf("src/Engine/") + "src/Engine/".Length)
        let lines = file.Value.GetProperty("source").GetString().Split('\n')
        for mutant in file.Value.GetProperty("mutants").EnumerateArray() do
            let status = mutant.GetProperty("status").GetString()
            if status = "Survived" || status = "NoCoverage" then
                let line = mutant.GetProperty("location").GetProperty("start").GetProperty("line").GetInt32()
                let source = lines[line - 1].Trim()
                let mutator = mutant.GetProperty("mutatorName").GetString()
                let replacement = match mutant.TryGetProperty "replacement" with | true, r -> r.GetString() | _ -> ""
                yield name, line, status, mutator, source, replacement, classify name source (mutator + " → " + replacement) ]
    |> List.sortBy (fun (name, line, _, _, _, _, _) -> name, line)
let counts = rows |> List.countBy (fun (_, _, _, _, _, _, reason) -> reason) |> List.sortByDescending snd
let clip (n: int) (text: string) = if text.Length > n then text[.. n - 1] + "…" else text
let output =
    [ "# Surviving mutants"
      ""
      sprintf "Every mutant of the Stryker.NET run at commit %s (the README's score) that no test detected (Survived or NoCoverage)," commit
      "with the reason it is left. Written by `dotnet fsi tools/mutation-survivors.fsx <mutation-report.json> <commit>`;"
      "the reasons are the rules at the top of that script."
      ""
      "| reason | mutants |"
      "|---|---|" ]
    @ [ for reason, n in counts -> sprintf "| %s | %d |" (cell reason) n ]
    @ [ ""; "| where | status | mutator | original → replacement | reason |"; "|---|---|---|---|---|" ]
    @ [ for name, line, status, mutator, source, replacement, reason in rows ->
            sprintf "| %s:%d | %s | %s | `%s` → `%s` | %s |" name line status mutator (cell (clip 80 source)) (cell (clip 40 replacement)) (cell reason) ]
File.WriteAllLines("docs/mutation-survivors.md", output)
for reason, n in counts do printfn "%4d  %s" n reason
