/// Running `nn` in-process, `python3` as a process, and temporary folders.
module CommandLine

open System
open System.Diagnostics
open System.Globalization
open System.IO
open Spectre.Console
open Engine.Cli

/// Runs nn with the arguments; returns the exit code and everything printed.
let nn (args: string list) =
    let writer = new StringWriter()
    let console = AnsiConsole.Create(AnsiConsoleSettings(Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No, Out = AnsiConsoleOutput writer))
    console.Profile.Width <- 400
    let code = App.Run(List.toArray args, console)
    code, writer.ToString()

/// A new empty folder under the system's temporary folder.
let temporaryFolder () =
    let folder = Path.Combine(Path.GetTempPath(), "verify-onnx-" + Guid.NewGuid().ToString("N"))
    Directory.CreateDirectory folder |> ignore
    folder

/// The repository's root.
let repository = RepositoryRoot.path

/// Runs python3 with the arguments: Some (exit code, stdout, stderr), or None when python3 cannot be started.
let python (args: string list) =
    let start = ProcessStartInfo("python3", args, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false)
    try
        use proc = nonNull (Process.Start start)
        let out = proc.StandardOutput.ReadToEndAsync()
        let err = proc.StandardError.ReadToEndAsync()
        if not (proc.WaitForExit 300_000) then
            proc.Kill true
            failwithf "python3 %s did not finish in 5 minutes" (String.Join(" ", args))
        Some(proc.ExitCode, out.Result, err.Result)
    with :? ComponentModel.Win32Exception -> None

/// The rows of a CSV as written by nn predict (or the sample scripts): the header's names, then the values of each row.
let parseCsv (text: string) =
    let lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries) |> Array.map _.Trim()
    lines[0].Split(','), lines[1..] |> Array.map (fun l -> l.Split(',') |> Array.map (fun v -> Double.Parse(v, CultureInfo.InvariantCulture)))

/// Rows as CSV text, every value round-trip.
let toCsv (features: int) (inputs: float[]) =
    inputs |> Array.chunkBySize features |> Array.map (fun r -> r |> Array.map (fun v -> v.ToString("R", CultureInfo.InvariantCulture)) |> String.concat ",")
