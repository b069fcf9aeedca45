/// The hostile-input suite: every case of the corpus runs the built nn as a process under a 256 MiB heap limit, and must
/// exit with its code, print one error line on standard error that names the option or the file (and the position), print
/// no stack trace and nothing on standard output, and leave every file it was given byte-identical with nothing added.
module Hostile

open System
open System.IO
open System.Security.Cryptography
open Xunit
open Tool

/// The heap limit every case runs under (DOTNET_GCHeapHardLimit, in hexadecimal bytes: 0x10000000 = 256 MiB): bombs and
/// hostile sizes must be refused before they take memory, not by running out of it.
let heapLimit = "DOTNET_GCHeapHardLimit", "10000000"

/// Every file and folder under a folder, with a digest of each file's content (large sparse files by their length).
let private snapshot (folder: string) =
    Directory.EnumerateFileSystemEntries(folder, "*", SearchOption.AllDirectories)
    |> Seq.map (fun path ->
        let name = Path.GetRelativePath(folder, path)
        if Directory.Exists path then name, "folder"
        else
            let info = FileInfo path
            if info.Length > (64L <<< 20) then name, sprintf "%d bytes" info.Length
            else name, Convert.ToHexString(SHA256.HashData(File.ReadAllBytes path)))
    |> Seq.sort
    |> List.ofSeq

/// Text that only .NET writes, never a message of nn's.
let private dotnetTexts = [ "Exception"; "System."; "(Parameter '"; "   at " ]

let names = Corpus.all.Keys |> Seq.sort |> Seq.map (fun name -> [| box name |])

[<Fact>]
let ``the corpus holds at least 100 hostile cases`` () =
    Assert.True(Corpus.all.Count >= 100, sprintf "%d cases" Corpus.all.Count)

[<Theory>]
[<MemberData(nameof names)>]
let ``nn refuses hostile input with one clear error line and changes nothing`` (name: string) =
    let case = Corpus.all[name]
    withFolder (fun folder ->
        for file, bytes in case.Files do
            let path = Path.Combine(folder, file)
            Directory.CreateDirectory(nonNull (Path.GetDirectoryName path)) |> ignore
            if file.EndsWith "/keep" then () else File.WriteAllBytes(path, bytes)
        case.Setup folder
        let before = snapshot folder
        let run = runWith folder [ heapLimit ] case.Input case.Args
        failedWith case.Code case.Mentions run
        let error = run.ErrLines |> Array.find (fun l -> l.StartsWith "error:")
        for text in dotnetTexts do
            Assert.False(error.Contains text, sprintf "the error line has .NET's text '%s': %s" text error)
        Assert.Equal<(string * string) list>(before, snapshot folder))
