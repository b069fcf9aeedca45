/// The documentation stands alone: every link between its pages resolves, and nothing in the repository points outside it.
module Links

open System
open System.IO
open System.Text.RegularExpressions
open Xunit
open Repository

/// GitHub's anchor for a heading: lower case, punctuation dropped (letters, digits, spaces, hyphens and underscores kept),
/// spaces to hyphens.
let anchor (heading: string) =
    let kept = heading.Trim().ToLowerInvariant() |> String.filter (fun c -> Char.IsLetterOrDigit c || c = ' ' || c = '-' || c = '_')
    kept.Replace(' ', '-')

/// The anchors of a Markdown page: one per heading outside code blocks.
let private anchors (page: string) =
    let mutable inFence = false
    [ for line in (read page).Split '\n' do
        if line.StartsWith "```" then inFence <- not inFence
        elif not inFence then
            let m = Regex.Match(line, "^#{1,6} (.+)$")
            if m.Success then yield anchor m.Groups[1].Value ]
    |> Set.ofList

/// The link targets of a page's prose: `[text](target)` and `![alt](target)` outside code blocks and code spans.
let private links (page: string) =
    let mutable inFence = false
    [ for line in (read page).Split '\n' do
        if line.StartsWith "```" then inFence <- not inFence
        elif not inFence && not (line.StartsWith "    ") then
            let prose = Regex.Replace(line, "`[^`]*`", "")
            for m in Regex.Matches(prose, @"\]\((?<target>[^)\s]+)\)") do
                yield m.Groups["target"].Value ]

[<Fact>]
let ``anchor follows GitHub's rule`` () =
    Assert.Equal("1-batch-average-and-an-update-at-learning-rate-001-seed-003", anchor "1. Batch average and an update at learning rate 0.01 (seed 003)")
    Assert.Equal("2-iqcgpa--lpa-the-nine-derivatives-seed-002", anchor "2. IQ/CGPA → LPA, the nine derivatives (seed 002)")
    Assert.Equal("nn-train---diagnostics", anchor "`nn train --diagnostics`")

[<Fact>]
let ``every relative link of the README, the root pages and docs/ names a file, and a heading of it, that exist`` () =
    let broken =
        [ for page in markdownFiles () do
            for target in links page do
                if not (Regex.IsMatch(target, "^[a-z]+:")) then
                    let path, fragment =
                        match target.IndexOf '#' with
                        | -1 -> target, ""
                        | i -> target[.. i - 1], target[i + 1 ..]
                    let file = if path = "" then page else Path.GetRelativePath(root, Path.GetFullPath(Path.Combine(root, nonNull (Path.GetDirectoryName page), path))).Replace('\\', '/')
                    if not (File.Exists(Path.Combine(root, file)) || Directory.Exists(Path.Combine(root, file))) then
                        yield sprintf "%s: %s (no such file)" page target
                    elif fragment <> "" && file.EndsWith ".md" && not ((anchors file).Contains fragment) then
                        yield sprintf "%s: %s (no such heading in %s)" page target file ]
    Assert.True(broken.IsEmpty, "broken links:\n" + String.Join("\n", broken))

/// Text files of the repository: everything but build output, run output and version control.
let private repositoryFiles () =
    let skipped = set [ ".git"; "bin"; "obj"; "runs"; "artifacts"; "TestResults"; "StrykerOutput"; "BenchmarkDotNet.Artifacts" ]
    let binary = set [ ".png"; ".gz"; ".dll"; ".pdb"; ".onnx"; ".safetensors"; ".nupkg"; ".snupkg" ]
    let rec walk (folder: string) =
        seq {
            for file in Directory.GetFiles folder do
                if not (binary.Contains((nonNull (Path.GetExtension file)).ToLowerInvariant())) then yield file
            for sub in Directory.GetDirectories folder do
                if not (skipped.Contains(nonNull (Path.GetFileName sub))) then yield! walk sub
        }
    walk root |> List.ofSeq

[<Fact>]
let ``no file of the repository refers to the notes' original folder or their reconstruction: docs/ quotes them`` () =
    // Written in pieces so that this file does not match itself.
    let outside = [ String.Join("/", [ ".."; "shared" ]); String.Join("/", [ ""; "work"; "shared" ]); "WALK" + "THROUGHS" ]
    let found =
        [ for file in repositoryFiles () do
            let text = File.ReadAllText file
            for s in outside do
                if text.Contains(s, StringComparison.Ordinal) then yield sprintf "%s mentions %s" (Path.GetRelativePath(root, file)) s ]
    Assert.True(found.IsEmpty, String.Join("\n", found))
