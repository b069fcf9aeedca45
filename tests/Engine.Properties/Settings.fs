/// How many cases each property runs, how a failure replays, and the accuracy report every property prints.
module Settings

open System
open System.Collections.Concurrent
open FsCheck

/// VERIFY_SCALE multiplies every property's number of cases (default 1; e.g. VERIFY_SCALE=20 for a deep run).
let scale =
    match Environment.GetEnvironmentVariable "VERIFY_SCALE" with
    | null | "" -> 1.0
    | text -> Double.Parse(text, Globalization.CultureInfo.InvariantCulture)

/// VERIFY_REPLAY="seed,gamma" replays the run FsCheck printed on a failure ("Original seed" / replay line).
let private replay =
    match Environment.GetEnvironmentVariable "VERIFY_REPLAY" with
    | null | "" -> None
    | text ->
        let parts = text.Trim('(', ')', ' ').Split(',') |> Array.map (fun s -> UInt64.Parse(s.Trim()))
        Some { Rnd = Rnd(parts[0], parts[1]); Size = None }

/// The FsCheck configuration for a property of `cases` cases at scale 1.
let config (cases: int) =
    Config.QuickThrowOnFailure.WithMaxTest(max 1 (int (float cases * scale))).WithReplay(replay).WithQuietOnSuccess(true)

/// Collects the relative errors a property observed, to report the achieved accuracy and not only pass or fail.
type ErrorLog(name: string) =
    let errors = ConcurrentBag<float>()
    let mutable configurations = 0
    member _.Add(error: float) = errors.Add error
    member _.Configuration() = Threading.Interlocked.Increment(&configurations) |> ignore
    member _.Summary() =
        let sorted = errors |> Seq.sort |> Array.ofSeq
        let median = if sorted.Length = 0 then 0.0 else sorted[sorted.Length / 2]
        sprintf "%-58s %6d configurations %9d comparisons   max %.2e   median %.2e" name configurations sorted.Length (if sorted.Length = 0 then 0.0 else sorted[sorted.Length - 1]) median
