namespace Engine.Verification

open System
open System.Collections.Concurrent
open FsCheck
open FsCheck.FSharp

/// <summary>What a check found for one generated case.</summary>
type Outcome =
    /// <summary>The case was built and checked; the failures, empty when it passed.</summary>
    | Checked of failures: string list
    /// <summary>The generator could not build a valid case from the drawn description; the reason is counted and reported.</summary>
    | NotBuilt of reason: string

    /// <summary>A checked case that passed.</summary>
    static member Passed = Checked []

    /// <summary>A checked case with these failures (passed when there are none).</summary>
    static member OfFailures(failures: seq<string>) = Checked(List.ofSeq failures)

/// <summary>What a check ran and found: its seed, cases, the cases that could not be built and why, the accuracy achieved.</summary>
type Report =
    { /// <summary>The check's name.</summary>
      Name: string
      /// <summary>The run seed (VERIFY_SEED replays the run).</summary>
      RunSeed: uint64
      /// <summary>The seed this check derived from the run seed and its name.</summary>
      Seed: uint64
      /// <summary>Cases generated.</summary>
      Tests: int
      /// <summary>Cases the generator could not build, by reason.</summary>
      NotBuilt: (string * int) list
      /// <summary>The accuracy of each oracle comparison.</summary>
      Accuracy: Accuracy list
      /// <summary>Further lines the check reports (e.g. values skipped at kinks).</summary>
      Notes: string list }

    /// <summary>Cases built and checked.</summary>
    member this.Built = this.Tests - List.sumBy snd this.NotBuilt

    /// <summary>The report as lines: the cases and seed, then each accuracy line, each note, and the cases not built.</summary>
    member this.Lines =
        [ yield sprintf "%s: %d cases, %d built and checked, run seed %d (%s), check seed %d" this.Name this.Tests this.Built this.RunSeed Seeds.source this.Seed
          for a in this.Accuracy -> "  " + a.Summary()
          for n in this.Notes -> "  " + n
          for reason, count in this.NotBuilt -> sprintf "  not built (%d): %s" count reason ]

    /// <inheritdoc/>
    override this.ToString() = String.Join(Environment.NewLine, this.Lines)

/// <summary>A check failed: the message holds the shrunk counterexample, what differed, and the seed that replays it.</summary>
type VerificationException(message: string, report: Report option) =
    inherit Exception(message)

    /// <summary>What ran before the failure.</summary>
    member _.Report = report

/// Runs checks as FsCheck properties: the seed from Seeds, the number of cases scaled by VERIFY_SCALE, shrinking to the
/// smallest failing case, and a report. The one way every check of the kit and of the project's suite is run.
module Run =
    /// Captures FsCheck's result instead of printing it.
    type private Capture() =
        member val Result: TestResult option = None with get, set
        interface IRunner with
            member _.OnStartFixture _ = ()
            member _.OnArguments(_, _, _) = ()
            member _.OnShrink(_, _) = ()
            member this.OnFinished(_, result) = this.Result <- Some result

    /// A generator that cannot build at least this fraction of its cases fails the check: it would verify too little.
    let minimumBuiltFraction = 0.5

    /// <summary>
    /// Runs `body` on `cases`·VERIFY_SCALE cases drawn from `arbitrary`, seeded from the run seed and `name`. A failing case is
    /// shrunk (by the arbitrary's shrinker) to the smallest that still fails; the exception names it, its failures and the seed.
    /// `logs` and `notes` are reported with the result. Fails too when fewer than half of the cases could be built.
    /// </summary>
    let propertyWith (name: string) (cases: int) (logs: Accuracy list) (notes: unit -> string list) (runSeed: uint64)
                     (arbitrary: Arbitrary<'T>) (body: 'T -> Outcome) : Report =
        let notBuilt = ConcurrentDictionary<string, int>()
        let seed = Seeds.forCheck runSeed name
        let property =
            Prop.forAll arbitrary (fun case ->
                // An exception is a failure of the case like any other: it is reported, and the case shrunk.
                match (try body case with e -> Checked [ sprintf "exception: %O" e ]) with
                | NotBuilt reason ->
                    notBuilt.AddOrUpdate(reason, 1, fun _ n -> n + 1) |> ignore
                    Prop.ofTestable true
                | Checked failures -> List.isEmpty failures |> Prop.label (String.Join("\n", List.truncate 5 failures)))
        let capture = Capture()
        let config =
            Config.Quick.WithName(name).WithMaxTest(Seeds.cases cases).WithRunner(capture)
                .WithReplay(Some { Rnd = Rnd seed; Size = None })
        Check.One(config, property)
        let report tests =
            { Name = name; RunSeed = runSeed; Seed = seed; Tests = tests
              NotBuilt = notBuilt |> Seq.map (fun p -> p.Key, p.Value) |> Seq.sortByDescending snd |> List.ofSeq
              Accuracy = logs; Notes = notes () }
        let replay = sprintf "Replay with %s (this check's seed is %d)." (Seeds.replay runSeed) seed
        match capture.Result with
        | Some(TestResult.Passed(data, _)) ->
            let r = report data.NumberOfTests
            if float r.Built < minimumBuiltFraction * float r.Tests then
                raise (VerificationException(
                    sprintf "%s: the generator built only %d of %d cases, fewer than %.0f%%.\n%s\n%s" name r.Built r.Tests (100.0 * minimumBuiltFraction) (string r) replay, Some r))
            r
        | Some(TestResult.Failed(data, original, shrunk, _, _, _, _)) ->
            let r = report data.NumberOfTests
            let arguments (values: obj list) = String.Join(", ", values |> List.map string)
            raise (VerificationException(
                sprintf "%s: falsified after %d cases and %d shrinks.\nsmallest failing case: %s\n%s\noriginal case: %s\n%s\n%s"
                    name data.NumberOfTests data.NumberOfShrinks (arguments shrunk) (String.Join("\n", data.Labels)) (arguments original) replay (string r), Some r))
        | Some(TestResult.Exhausted data) ->
            raise (VerificationException(sprintf "%s: exhausted after %d cases.\n%s" name data.NumberOfTests replay, None))
        | None -> raise (InvalidOperationException(sprintf "%s: FsCheck reported no result." name))

    /// Runs `body` on `cases` cases with the run's seed and reports nothing but the cases (see propertyWith).
    let property name cases arbitrary body = propertyWith name cases [] (fun () -> []) Seeds.run arbitrary body
