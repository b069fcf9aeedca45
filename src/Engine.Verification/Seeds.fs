/// <summary>
/// Where every random check takes its seed and its number of cases: one place for the whole run.
/// <list type="bullet">
/// <item><c>VERIFY_SEED=N</c> replays a run: every check draws the same cases as the run that printed N (at the same VERIFY_SCALE).</item>
/// <item>Otherwise, with <c>CI=true</c>, the run seed is the constant <see cref="ContinuousIntegration"/>, so CI is deterministic.</item>
/// <item>Otherwise a fresh seed per run, to explore; it is printed with every report and failure, so any run can be replayed.</item>
/// </list>
/// Each check derives its own seed from the run seed and its name, so a single check replays alone (e.g. with a test filter) and
/// the order in which checks run does not matter. <c>VERIFY_SCALE</c> multiplies every check's number of cases (default 1).
/// </summary>
module Engine.Verification.Seeds

open System
open System.Globalization

/// The run seed in CI when VERIFY_SEED is not set.
[<Literal>]
let ContinuousIntegration = 20261128UL

let private environment name =
    match Environment.GetEnvironmentVariable name with
    | null -> None
    | text when String.IsNullOrWhiteSpace text -> None
    | text -> Some(text.Trim())

/// Parses a VERIFY_SEED value: a non-negative integer.
let parse (text: string) =
    match UInt64.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture) with
    | true, seed -> seed
    | _ -> invalidArg "VERIFY_SEED" (sprintf "VERIFY_SEED must be a non-negative integer, but is '%s'." text)

/// The run seed and where it came from: "VERIFY_SEED", "CI" or "fresh".
let run, source =
    match environment "VERIFY_SEED" with
    | Some text -> parse text, "VERIFY_SEED"
    | None when environment "CI" |> Option.exists (fun v -> String.Equals(v, "true", StringComparison.OrdinalIgnoreCase)) -> ContinuousIntegration, "CI"
    | None -> uint64 (Random.Shared.NextInt64(0L, 1L <<< 53)), "fresh"

/// VERIFY_SCALE: the factor on every check's number of cases (default 1; e.g. 20 for a deep run, 0.3 under mutation testing).
let scale =
    match environment "VERIFY_SCALE" with
    | None -> 1.0
    | Some text ->
        match Double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture) with
        | true, value when value > 0.0 && Double.IsFinite value -> value
        | _ -> invalidArg "VERIFY_SCALE" (sprintf "VERIFY_SCALE must be a positive number, but is '%s'." text)

/// The number of cases a check of `cases` cases at scale 1 runs (at least 1).
let cases (cases: int) = max 1 (int (Math.Round(float cases * scale)))

/// A check's own seed: the run seed mixed with the check's name (FNV-1a over its UTF-16 code units, then SplitMix64's finalizer).
let forCheck (runSeed: uint64) (name: string) =
    let mutable hash = 14695981039346656037UL
    for c in name do hash <- (hash ^^^ uint64 c) * 1099511628211UL
    let mutable z = hash ^^^ runSeed
    z <- (z ^^^ (z >>> 30)) * 0xbf58476d1ce4e5b9UL
    z <- (z ^^^ (z >>> 27)) * 0x94d049bb133111ebUL
    z ^^^ (z >>> 31)

/// How to replay a run of `runSeed`: the environment to set.
let replay (runSeed: uint64) =
    if scale = 1.0 then sprintf "VERIFY_SEED=%d" runSeed
    else sprintf "VERIFY_SEED=%d VERIFY_SCALE=%s" runSeed (scale.ToString("R", CultureInfo.InvariantCulture))
