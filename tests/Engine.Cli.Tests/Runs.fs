/// Nothing is lost: every run has its own folder, a used folder is not overwritten by accident, divergence and Ctrl+C save
/// what was learned, and the terminal is left as it was found.
module Runs

open System
open System.Diagnostics
open System.Globalization
open System.IO
open System.Runtime.InteropServices
open System.Text
open System.Threading
open Xunit
open Tool

let private metricsRows (folder: string) = File.ReadAllLines(Path.Combine(folder, "metrics.csv")).Length - 1

let private loads (path: string) = Engine.Serialization.ModelFile.Load path |> ignore

/// The names of a folder's files, sorted (hidden ones included).
let private files (folder: string) = Directory.GetFiles folder |> Array.map (Path.GetFileName >> nonNull) |> Array.sort

[<Fact>]
let ``every run gets its own folder: runs started together or back to back never share one`` () =
    withFolder (fun folder ->
        let args = [ "train"; "--data"; "iris"; "--epochs"; "2" ]
        let together = [ for _ in 1 .. 3 -> start folder [] args ] |> List.map (finish args "")
        let after = [ for _ in 1 .. 2 -> runIn folder args ]
        let runs = together @ after
        for run in runs do succeeded run
        let folders = runs |> List.map (fun r -> r.Out.Trim())
        Assert.Equal(5, (List.distinct folders).Length)
        for f in folders do
            Assert.StartsWith("runs" + string Path.DirectorySeparatorChar, f)
            loads (Path.Combine(folder, f, "model.safetensors"))
            Assert.Equal<string[]>([| "accuracy.png"; "checkpoint.safetensors"; "loss.png"; "metrics.csv"; "model.safetensors" |], files (Path.Combine(folder, f))))

[<Fact>]
let ``--out must be new or empty; --overwrite replaces nn's files, stale ones included, and leaves the user's alone`` () =
    withFolder (fun folder ->
        succeeded (runIn folder [ "train"; "--data"; "iris"; "--epochs"; "2"; "--diagnostics"; "--out"; "run" ])
        File.WriteAllText(Path.Combine(folder, "run", "notes.txt"), "mine")
        let before = File.ReadAllBytes(Path.Combine(folder, "run", "model.safetensors"))
        runIn folder [ "train"; "--data"; "iris"; "--epochs"; "2"; "--out"; "run" ] |> failedWith 2 [ "--out 'run' is not empty"; "--overwrite" ]
        Assert.Equal<byte[]>(before, File.ReadAllBytes(Path.Combine(folder, "run", "model.safetensors")))
        succeeded (runIn folder [ "train"; "--data"; "iris"; "--epochs"; "3"; "--out"; "run"; "--overwrite" ])
        Assert.Equal(3, metricsRows (Path.Combine(folder, "run")))
        // The first run's diagnostics are gone: nothing in the folder is from another run but the user's file.
        Assert.Equal<string[]>([| "accuracy.png"; "checkpoint.safetensors"; "loss.png"; "metrics.csv"; "model.safetensors"; "notes.txt" |], files (Path.Combine(folder, "run")))
        Assert.Equal("mine", File.ReadAllText(Path.Combine(folder, "run", "notes.txt"))))

[<Fact>]
let ``a run that fails before training leaves no folder behind`` () =
    withFolder (fun folder ->
        runIn folder [ "train"; "--data"; "iris"; "--layers"; "4,8,2" ] |> failedWith 2 [ "--layers ends with 2" ]
        runIn folder [ "train"; "--data"; "iris"; "--layers"; "4,8,2"; "--out"; "x" ] |> failedWith 2 [ "--layers" ]
        Assert.Empty(Directory.GetFileSystemEntries folder))

let private writeIq (folder: string) =
    File.WriteAllLines(Path.Combine(folder, "iq.csv"), [| "80,8,3.1"; "60,9,5.2"; "70,5,8.3"; "75,7,6.4"; "65,6,4.5" |])

[<Fact>]
let ``a loss that grows a thousandfold while finite is divergence: exit 1, and the model and metrics up to the epoch before are saved`` () =
    withFolder (fun folder ->
        writeIq folder
        let run = runIn folder [ "train"; "--data"; "iq.csv"; "--task"; "regression"; "--layers"; "2,1"; "--lr"; "0.5"; "--batch"; "1"; "--epochs"; "200"; "--out"; "run" ]
        Assert.True((run.Code = 1), string run)
        Assert.Contains("error: Training diverged at epoch 3: its mean training loss", run.Err)
        Assert.Contains("exceeds 1000 times the initial loss", run.Err)
        Assert.Contains("the model after epoch 2, the last before the divergence", run.Err)
        Assert.Equal("", run.Out)
        Assert.Equal(2, metricsRows (Path.Combine(folder, "run")))
        loads (Path.Combine(folder, "run", "model.safetensors")))

[<Fact>]
let ``a non-finite loss is divergence: exit 1, and the last finite model is saved`` () =
    withFolder (fun folder ->
        writeIq folder
        let run = runIn folder [ "train"; "--data"; "iq.csv"; "--task"; "regression"; "--layers"; "2,1"; "--lr"; "1e200"; "--batch"; "1"; "--epochs"; "3"; "--out"; "run" ]
        Assert.True((run.Code = 1), string run)
        Assert.Contains("error: Training diverged at epoch 1, batch 2: the loss is Infinity", run.Err)
        Assert.Contains("the initial model", run.Err)
        Assert.Equal(0, metricsRows (Path.Combine(folder, "run")))
        loads (Path.Combine(folder, "run", "model.safetensors")))

[<Fact>]
let ``a classifier that never learns ends with a warning`` () =
    withFolder (fun folder ->
        let run = runIn folder [ "train"; "--data"; "iris"; "--lr"; "1e-9"; "--epochs"; "10"; "--out"; "run" ]
        succeeded run
        let warnings = run.ErrLines |> Array.filter (fun l -> l.StartsWith "warning:")
        Assert.Equal(1, warnings.Length)
        Assert.Contains("no better than chance (0.3333", warnings[0]))

[<Fact>]
let ``a run resumed from its checkpoint ends bit-identical to an uninterrupted one: adam's moments, the schedule and early stopping carried over`` () =
    withFolder (fun folder ->
        let settings = [ "--data"; "iris"; "--optimizer"; "adam"; "--lr"; "0.01"; "--schedule"; "step:step-size=7,gamma=0.5"; "--validation-fraction"; "0.2"; "--patience"; "50" ]
        succeeded (runIn folder ([ "train" ] @ settings @ [ "--epochs"; "40"; "--out"; "whole" ]))
        succeeded (runIn folder ([ "train" ] @ settings @ [ "--epochs"; "17"; "--checkpoint-every"; "5"; "--out"; "parts" ]))
        let resumed = runIn folder [ "train"; "--resume"; "parts"; "--epochs"; "40" ]
        succeeded resumed
        Assert.Contains("Resuming after epoch 17", resumed.Err)
        Assert.Equal("parts\n", resumed.Out)
        for file in [ "model.safetensors"; "metrics.csv"; "checkpoint.safetensors" ] do
            Assert.True((File.ReadAllBytes(Path.Combine(folder, "whole", file)) = File.ReadAllBytes(Path.Combine(folder, "parts", file))), file + " differs")
        runIn folder [ "train"; "--resume"; "parts"; "--lr"; "0.1" ] |> failedWith 2 [ "--lr does not apply with --resume" ]
        runIn folder [ "train"; "--resume"; "parts" ] |> failedWith 2 [ "the run is complete (40 epochs)" ]
        runIn folder [ "train"; "--resume"; "nowhere" ] |> failedWith 2 [ "--resume 'nowhere': no such folder" ])

[<DllImport("libc", SetLastError = true)>]
extern int kill(int pid, int signal)

let private SIGINT = 2
let private SIGTERM = 15

/// The process's child processes (Linux).
let private children (pid: int) =
    Directory.GetDirectories(sprintf "/proc/%d/task" pid)
    |> Array.collect (fun task -> File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
    |> Array.map int

[<Fact>]
let ``SIGTERM stops a run of 2^31 − 1 epochs (nothing preallocated for them) after the current step; it saves and exits 143`` () =
    withFolder (fun folder ->
        let args = [ "train"; "--data"; "iris"; "--epochs"; "2147483647"; "--out"; "run" ]
        let nn = start folder [] args
        let clock = Stopwatch.StartNew()
        while not (File.Exists(Path.Combine(folder, "run", "checkpoint.safetensors"))) && clock.Elapsed < TimeSpan.FromMinutes 1.0 do Thread.Sleep 20
        Assert.Equal(0, kill (nn.Id, SIGTERM))
        let run = finish args "" nn
        Assert.True((run.Code = 143), string run)
        Assert.Contains("Stopped by SIGTERM during epoch", run.Err)
        Assert.Contains("Resume with: nn train --resume run", run.Err)
        Assert.True(metricsRows (Path.Combine(folder, "run")) >= 10)
        loads (Path.Combine(folder, "run", "model.safetensors")))

[<Fact>]
let ``Ctrl+C on a terminal stops after the current step, saves model, metrics and checkpoint, shows the cursor again, exits 130; the resumed run ends bit-identical to an uninterrupted one`` () =
    withFolder (fun folder ->
        // script(1) gives nn a pseudo-terminal, so the live progress display hides the cursor while it runs.
        let dotnet = match Environment.GetEnvironmentVariable "DOTNET_HOST_PATH" with null | "" -> "dotnet" | path -> path
        // script(1) runs the command through $SHELL -c; exec makes nn the shell's replacement, not a child of a shell that
        // would take the SIGINT itself (dash, the usual /bin/sh, forks even for a single command). env restores SIGINT's
        // default action, which a test run started in the background of a shell without job control inherits as ignored.
        let command = sprintf "exec env --default-signal=INT '%s' '%s' train --epochs 400 --out run" dotnet nnDll
        let info = ProcessStartInfo("script", WorkingDirectory = folder, RedirectStandardOutput = true, RedirectStandardInput = true, UseShellExecute = false)
        info.Environment["SHELL"] <- "/bin/sh"
        for arg in [ "-qfec"; command; "/dev/null" ] do info.ArgumentList.Add arg
        use script = nonNull (Process.Start info)
        let output = StringBuilder()
        let reader =
            Tasks.Task.Run(fun () ->
                let buffer = Array.zeroCreate<char> 4096
                let mutable read = script.StandardOutput.Read(buffer, 0, buffer.Length)
                while read > 0 do
                    lock output (fun () -> output.Append(buffer, 0, read) |> ignore)
                    read <- script.StandardOutput.Read(buffer, 0, buffer.Length))
        let text () = lock output (fun () -> output.ToString())
        let epochsShown () =
            RegularExpressions.Regex.Matches(text (), @"epoch (\d+)/") |> Seq.map (fun m -> int m.Groups[1].Value) |> Seq.fold max 0
        let clock = Stopwatch.StartNew()
        while epochsShown () < 2 && clock.Elapsed < TimeSpan.FromMinutes 1.0 do Thread.Sleep 20
        Assert.True(epochsShown () >= 2, "no progress within a minute:\n" + text ())
        let nn = children script.Id |> Array.exactlyOne
        let commandLine = File.ReadAllText(sprintf "/proc/%d/cmdline" nn).Replace('\000', ' ')
        Assert.True(commandLine.Contains "nn.dll", "script's child is not nn but: " + commandLine)
        Assert.Equal(0, kill (nn, SIGINT))
        Assert.True(script.WaitForExit(int timeout.TotalMilliseconds), "nn did not stop after SIGINT:\n" + text ())
        reader.Wait()
        let printed = text ()
        Assert.Equal(130, script.ExitCode)
        Assert.True(printed.IndexOf "\u001b[?25l" >= 0, "the progress display never hid the cursor:\n" + printed)
        Assert.True(printed.LastIndexOf "\u001b[?25h" > printed.LastIndexOf "\u001b[?25l", "the cursor was left hidden:\n" + printed)
        let flat = RegularExpressions.Regex.Replace(printed, @"\s+", " ")
        Assert.Contains("Stopped by Ctrl+C (SIGINT) during epoch", flat)
        let run = Path.Combine(folder, "run")
        let epochs = metricsRows run
        Assert.True(epochs >= 2 && epochs < 400, sprintf "%d epochs in metrics.csv" epochs)
        Assert.Contains(sprintf "the model after epoch %d and its metrics" epochs, flat)
        Assert.Contains("checkpoint.safetensors", flat)
        loads (Path.Combine(run, "model.safetensors"))
        // Resumed, the run reaches exactly what an uninterrupted run reaches.
        succeeded (runIn folder [ "train"; "--resume"; "run" ])
        succeeded (runIn folder [ "train"; "--epochs"; "400"; "--out"; "whole" ])
        for file in [ "model.safetensors"; "metrics.csv" ] do
            Assert.True((File.ReadAllBytes(Path.Combine(run, file)) = File.ReadAllBytes(Path.Combine(folder, "whole", file))), file + " differs"))
