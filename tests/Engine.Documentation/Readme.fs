/// The README's promises: its library example is real code that runs and prints what the README shows, and it stays short.
module Readme

open System.Text.RegularExpressions
open Xunit
open Repository

/// The code blocks of a page that name the file they are taken from: a `<!-- file: PATH -->` line right above the fence.
let private namedBlocks (page: string) =
    [ for m in Regex.Matches(read page, "<!-- file: (?<file>[^ ]+) -->\n```[a-z]+\n(?<code>.*?)```", RegexOptions.Singleline) ->
        m.Groups["file"].Value, m.Groups["code"].Value ]

[<Fact>]
let ``the README's library example is samples/LibraryExample/Program.cs, line for line`` () =
    match namedBlocks "README.md" |> List.tryFind (fun (file, _) -> file = "samples/LibraryExample/Program.cs") with
    | None -> failwith "README.md has no code block marked <!-- file: samples/LibraryExample/Program.cs -->"
    | Some(file, code) -> Assert.True((read file = code), sprintf "README.md's example differs from %s:\n%s" file code)

[<Fact>]
let ``the README's library example runs and prints what the README shows`` () =
    let code, out, err = run "LibraryExample.dll" []
    Assert.True((code = 0), sprintf "exit %d\n%s\n%s" code out err)
    let printed = out.TrimEnd '\n'
    Assert.NotEmpty printed
    for line in printed.Split '\n' do
        Assert.True((read "README.md").Contains("    " + line + "\n"), sprintf "the README does not show the line the example printed:\n%s" line)

[<Fact>]
let ``the README is at most 12,000 characters`` () =
    let length = (read "README.md").Length
    Assert.True(length <= 12000, sprintf "README.md has %d characters; move depth into docs/" length)

[<Fact>]
let ``.ci/run runs the README's test command, and bash can parse it`` () =
    let command = "dotnet test Verify.sln -c Release"
    Assert.Contains("    " + command + "\n", read "README.md")
    Assert.Contains(command, read ".ci/run")
    let info = System.Diagnostics.ProcessStartInfo("bash", RedirectStandardError = true, WorkingDirectory = root)
    for a in [ "-n"; ".ci/run" ] do info.ArgumentList.Add a
    let parsed =
        try Some(nonNull (System.Diagnostics.Process.Start info)) with :? System.ComponentModel.Win32Exception -> None
    match parsed with
    | None -> () // no bash on this machine: CI, which runs .ci/run with bash, is where it matters
    | Some proc ->
        use proc = proc
        let err = proc.StandardError.ReadToEnd()
        proc.WaitForExit()
        Assert.True((proc.ExitCode = 0), sprintf "bash -n .ci/run: %s" err)
