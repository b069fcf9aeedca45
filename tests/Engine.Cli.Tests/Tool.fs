/// Runs the built nn as a process, as a user would, and checks what it printed.
module Tool

open System
open System.Diagnostics
open System.IO
open Xunit

/// What one run of nn did.
type Run =
    { Args: string list
      Code: int
      Out: string
      Err: string }

    /// The lines of standard error.
    member run.ErrLines = run.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries)

    /// The lines of standard output.
    member run.OutLines = run.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries)

    override run.ToString() =
        sprintf "nn %s\nexit %d\n--- stdout ---\n%s\n--- stderr ---\n%s" (String.Join(" ", run.Args)) run.Code run.Out run.Err

/// The tool as built beside the tests (the project references src/Engine.Cli, which copies nn.dll here).
let nnDll = Path.Combine(AppContext.BaseDirectory, "nn.dll")

let private dotnet =
    match Environment.GetEnvironmentVariable "DOTNET_HOST_PATH" with
    | null | "" -> "dotnet"
    | path -> path

/// The longest a run may take before the test fails (and kills it).
let timeout = TimeSpan.FromMinutes 3.0

/// Starts nn in a folder with extra environment variables; standard input is given text or empty.
let start (folder: string) (environment: (string * string) list) (args: string list) =
    let info = ProcessStartInfo(dotnet, WorkingDirectory = folder, RedirectStandardInput = true, RedirectStandardOutput = true,
                                RedirectStandardError = true, UseShellExecute = false)
    info.ArgumentList.Add nnDll
    for arg in args do info.ArgumentList.Add arg
    for name, value in environment do info.Environment[name] <- value
    nonNull (Process.Start info)

/// Waits for a started nn and collects what it printed.
let finish (args: string list) (input: string) (p: Process) =
    let out = p.StandardOutput.ReadToEndAsync()
    let err = p.StandardError.ReadToEndAsync()
    (try p.StandardInput.Write input; p.StandardInput.Close() with :? IOException -> ())
    if not (p.WaitForExit timeout) then
        p.Kill true
        failwithf "nn %s did not finish within %O" (String.Join(" ", args)) timeout
    p.WaitForExit()
    { Args = args; Code = p.ExitCode; Out = out.Result; Err = err.Result }

/// Runs nn in a folder with extra environment variables and standard input.
let runWith (folder: string) (environment: (string * string) list) (input: string) (args: string list) =
    start folder environment args |> finish args input

/// Runs nn in a folder.
let runIn folder args = runWith folder [] "" args

/// A fresh empty folder, deleted after use.
let withFolder (test: string -> unit) =
    let folder = Path.Combine(Path.GetTempPath(), "nn-test-" + Guid.NewGuid().ToString("N"))
    Directory.CreateDirectory folder |> ignore
    try test folder
    finally (try Directory.Delete(folder, true) with _ -> ())

/// Runs nn in a fresh folder.
let run args =
    let mutable result = Unchecked.defaultof<Run>
    withFolder (fun folder -> result <- runIn folder args)
    result

/// A stack trace's frame line, which nn must never print without --verbose.
let private isStackFrame (line: string) = line.TrimStart().StartsWith "at " && line.Contains "("

/// Exit 0, nothing on standard error but the lines a command writes for people, and no error line.
let succeeded (run: Run) =
    Assert.True((run.Code = 0), string run)
    Assert.DoesNotContain("error:", run.Err)

/// The run failed with that exit code and one error line on standard error that contains every fragment; standard output
/// is empty and there is no stack trace.
let failedWith (code: int) (fragments: string list) (run: Run) =
    Assert.True((run.Code = code), sprintf "expected exit %d\n%O" code run)
    let errors = run.ErrLines |> Array.filter (fun l -> l.StartsWith "error:")
    Assert.True((errors.Length = 1), sprintf "expected one error line\n%O" run)
    for fragment in fragments do
        Assert.True(errors[0].Contains(fragment: string), sprintf "the error line lacks '%s'\n%O" fragment run)
    Assert.False(run.ErrLines |> Array.exists isStackFrame, sprintf "a stack trace\n%O" run)
    Assert.True((run.Out = ""), sprintf "standard output must be empty\n%O" run)
