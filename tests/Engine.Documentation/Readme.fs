/// The README's promises: its library example is real code that runs and prints what the README shows, and it stays short.
module Readme

open Xunit
open Repository

[<Fact>]
let ``the README's library example is samples/LibraryExample/Program.cs, line for line`` () =
    match namedBlocks "README.md" |> List.tryFind (fun (file, _) -> file = "samples/LibraryExample/Program.cs") with
    | None -> failwith "README.md has no code block marked <!-- file: samples/LibraryExample/Program.cs -->"
    | Some(file, code) -> Assert.True((read file = code), sprintf "README.md's example differs from %s:\n%s" file code)

[<Fact>]
let ``the README's library example runs and prints what the README shows`` () =
    let code, out, err = run "LibraryExample.dll" []
    Assert.True((code = 0), sprintf "exit %d\n%s\n%s" code out err)
    Assert.NotEmpty(out.Trim())
    let missing = notShownIn "README.md" out
    Assert.True(missing.IsEmpty, sprintf "the README does not show the lines the example printed:\n%s" (String.concat "\n" missing))

[<Fact>]
let ``the README is at most 12,000 characters, counted as UTF-8 bytes (as wc -c counts them)`` () =
    let length = System.IO.File.ReadAllBytes(System.IO.Path.Combine(root, "README.md")).Length
    Assert.True(length <= 12000, sprintf "README.md has %d bytes; move depth into docs/" length)

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
