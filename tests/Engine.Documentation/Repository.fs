/// The repository's files as the tests read them, and running a built program as a user would.
module Repository

open System
open System.Diagnostics
open System.IO
open System.Text.RegularExpressions

/// The repository's root.
let root = RepositoryRoot.path

/// A file of the repository, by its path from the root, with "\n" line ends.
let read (path: string) = File.ReadAllText(Path.Combine(root, path)).Replace("\r\n", "\n")

/// The Markdown files people read: the README and the other pages at the root, and docs/.
let markdownFiles () =
    [ yield! Directory.GetFiles(root, "*.md")
      yield! Directory.GetFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories) ]
    |> List.map (fun f -> Path.GetRelativePath(root, f).Replace('\\', '/'))
    |> List.sort

/// The code blocks of a page that name the file they are taken from: a `<!-- file: PATH -->` line right above the fence.
let namedBlocks (page: string) =
    [ for m in Regex.Matches(read page, "<!-- file: (?<file>[^ ]+) -->\n```[a-z]+\n(?<code>.*?)```", RegexOptions.Singleline) ->
        m.Groups["file"].Value, m.Groups["code"].Value ]

/// The lines of a program's output that a page does not show as a line of an indented block.
let notShownIn (page: string) (printed: string) =
    let text = read page
    [ for line in printed.TrimEnd('\n').Split '\n' do
        if not (text.Contains("    " + line + "\n")) then yield line ]

/// Runs `dotnet <dll> <args>` from the repository's root; returns the exit code, standard output and standard error.
let run (dll: string) (args: string list) =
    let dotnet =
        match Environment.GetEnvironmentVariable "DOTNET_HOST_PATH" with
        | null | "" -> "dotnet"
        | host -> host
    let info = ProcessStartInfo(dotnet, WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true)
    info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, dll))
    for a in args do info.ArgumentList.Add a
    use proc = nonNull (Process.Start info)
    let out = proc.StandardOutput.ReadToEndAsync()
    let err = proc.StandardError.ReadToEndAsync()
    if not (proc.WaitForExit(TimeSpan.FromMinutes 5.0)) then
        proc.Kill true
        failwithf "dotnet %s did not finish in 5 minutes" dll
    proc.ExitCode, out.Result.Replace("\r\n", "\n"), err.Result.Replace("\r\n", "\n")
