/// Every learning-rate schedule, hyperparameters drawn in their ranges, against its closed form written here and against
/// the recursive ("chainable") form PyTorch's schedulers step with, at every epoch. A new schedule is drawn with no test edit.
module ScheduleProperties

open System
open Xunit
open Xunit.Abstractions
open FsCheck
open FsCheck.FSharp
open Engine
open Engine.Schedules
open Engine.Verification

let schedules = Registry<Schedule>.Builtin

let closedLog = Accuracy "schedules: vs their closed forms"
let chainableLog = Accuracy "schedules: vs PyTorch's recursive forms"

let private number (h: Map<string, obj>) name = Convert.ToDouble h[name]
let private whole (h: Map<string, obj>) name = h[name] :?> int

/// γₜ from γ₀, t and the run's length, written from each scheduler's documented formula (powers by repeated squaring).
let closedForms : Map<string, Map<string, obj> -> float -> int -> int -> float> =
    Map [ "constant", (fun _ rate _ _ -> rate)
          "step", (fun h rate t _ -> rate * pown (number h "gamma") (t / whole h "stepSize"))
          "exponential", (fun h rate t _ -> rate * pown (number h "gamma") t)
          "cosine", (fun h rate t epochs ->
              let period = if whole h "tMax" > 0 then whole h "tMax" else max 1 epochs
              let floor = number h "etaMin"
              floor + 0.5 * (rate - floor) * (1.0 + cos (Math.PI * float t / float period)))
          "warmup", (fun h rate t _ ->
              let s, e, n = number h "startFactor", number h "endFactor", whole h "totalIters"
              rate * (s + (e - s) * float (min t n) / float n)) ]

/// γₜ from γₜ₋₁ as torch.optim.lr_scheduler's get_lr computes it when stepped once per epoch (t ≥ 1; γ₋ the previous rate).
let chainableForms : Map<string, Map<string, obj> -> float -> int -> int -> float -> float> =
    Map [ "constant", (fun _ _ _ _ previous -> previous)
          "step", (fun h _ t _ previous -> if t % whole h "stepSize" = 0 then previous * number h "gamma" else previous)
          "exponential", (fun h _ _ _ previous -> previous * number h "gamma")
          "cosine", (fun h rate t epochs previous ->
              let period = float (if whole h "tMax" > 0 then whole h "tMax" else max 1 epochs)
              let floor = number h "etaMin"
              if (t - 1 - int period) % (2 * int period) = 0 then previous + (rate - floor) * (1.0 - cos (Math.PI / period)) / 2.0
              else (1.0 + cos (Math.PI * float t / period)) / (1.0 + cos (Math.PI * float (t - 1) / period)) * (previous - floor) + floor)
          "warmup", (fun h _ t _ previous ->
              let s, e, n = number h "startFactor", number h "endFactor", whole h "totalIters"
              if t > n then previous else previous * (1.0 + (e - s) / (float n * s + float (t - 1) * (e - s)))) ]

/// The first rate of the recursive forms (t = 0).
let private initial (name: string) (h: Map<string, obj>) rate = if name = "warmup" then rate * number h "startFactor" else rate

type Case =
    { Schedule: Schedule
      InitialRate: float
      Epochs: int }
    override this.ToString() = sprintf "%O from %g over %d epochs" this.Schedule this.InitialRate this.Epochs

/// Every hyperparameter of a registered component by name.
let private valuesOf (entry: obj) = Hyperparameters.ValuesOf entry |> Seq.map (fun struct (h, v) -> h.Name, v) |> Map.ofSeq

/// A registered schedule with every hyperparameter drawn by the kit (recorded for the completeness test).
let anySchedule = Draw.componentOf schedules schedules.Names |> Gen.map (Draw.create schedules)

let cases = gen {
    let! schedule = anySchedule
    let! k = Gen.choose (0, 1000)
    let! epochs = Gen.choose (1, 100)
    return { Schedule = schedule; InitialRate = 1e-4 * Math.Pow(1e4, float k / 1000.0); Epochs = epochs } }

type Tests(output: ITestOutputHelper) =
    [<Fact>]
    member _.``every schedule, hyperparameters drawn, equals its closed form and PyTorch's recursive form at every epoch`` () =
        Suite.check output "schedules: every schedule at every epoch" 300 [ closedLog; chainableLog ] (fun () -> []) (Arb.fromGen cases) (fun case ->
                let name = case.Schedule.Name
                let h = valuesOf case.Schedule
                let rate t = case.Schedule.Rate(case.InitialRate, t, case.Epochs)
                let failures = ResizeArray()
                closedLog.Configuration()
                // Beyond the run too: a cosine whose T is shorter than the run continues its cosine, as PyTorch's does.
                let horizon = case.Epochs + 20
                match closedForms.TryFind name with
                | Some closed ->
                    for t in 0 .. horizon do
                        let expected, actual = closed h case.InitialRate t case.Epochs, rate t
                        // Both sides evaluate the formula with a few roundings of γ₀'s size (powers by different algorithms):
                        // 1e-12 of the rate, or of 1e-3·γ₀ where the rate has annealed towards 0.
                        let error = Numerical.relativeError (1e-3 * case.InitialRate) expected actual
                        closedLog.Add error
                        if not (error <= 1e-12) || not (actual >= 0.0) then failures.Add(sprintf "t = %d: closed form %.17g, schedule %.17g" t expected actual)
                | None -> ()
                match chainableForms.TryFind name with
                | Some chain ->
                    chainableLog.Configuration()
                    let mutable previous = initial name h case.InitialRate
                    for t in 0 .. horizon do
                        if t > 0 then previous <- chain h case.InitialRate t case.Epochs previous
                        let actual = rate t
                        // The recursion rounds once or twice per epoch: after t epochs it may be 4t·u·max(γ₀, η_min) off.
                        let scale = max case.InitialRate (if h.ContainsKey "etaMin" then number h "etaMin" else 0.0)
                        let accumulated = 4.0 * float (t + 1) * Math.Pow(2.0, -53.0) * scale
                        let error = abs (previous - actual)
                        chainableLog.Add(Numerical.relativeError (1e-3 * case.InitialRate) previous actual)
                        if not (error <= 1e-12 * max (abs previous) (abs actual) + accumulated) then
                            failures.Add(sprintf "t = %d: recursive form %.17g, schedule %.17g" t previous actual)
                | None -> ()
                Outcome.OfFailures(Seq.truncate 3 failures))

    [<Fact>]
    member _.``every schedule type is registered, and has a closed form here`` () =
        let concrete = typeof<Schedule>.Assembly.GetTypes() |> Array.filter (fun t -> typeof<Schedule>.IsAssignableFrom t && not t.IsAbstract)
        let registered = Collections.Generic.HashSet(schedules.All |> Seq.map (fun s -> s.GetType()))
        Assert.Empty(concrete |> Array.filter (fun t -> not (registered.Contains t)))
        Assert.Equal<string list>([ "constant"; "cosine"; "exponential"; "step"; "warmup" ], List.ofSeq schedules.Names)
        for schedule in schedules.All do
            let verified = if closedForms.ContainsKey schedule.Name then "its closed form and PyTorch's recursive form" else "nothing: add a closed form"
            output.WriteLine(sprintf "schedule %-12s %s verified against %s" schedule.Name (Hyperparameters.Summarize schedule) verified)
            Assert.True(closedForms.ContainsKey schedule.Name && chainableForms.ContainsKey schedule.Name, schedule.Name)

    [<Fact>]
    member _.``the documented examples: step decay by ten every ten epochs, cosine over the run reaches 0 at its end, warm-up from a third`` () =
        for t, expected in [ 0, 0.5; 9, 0.5; 10, 0.05; 20, 0.005 ] do Assert.Equal(expected, StepDecay().Rate(0.5, t, 60), 15)
        Assert.Equal(0.5, CosineAnnealing().Rate(0.5, 0, 60))
        Assert.Equal(0.25, CosineAnnealing().Rate(0.5, 30, 60), 15)
        Assert.Equal(0.0, CosineAnnealing().Rate(0.5, 60, 60))
        for t, expected in [ 0, 0.1 / 3.0; 1, 0.1 / 3.0 + 0.1 * (2.0 / 3.0) / 5.0; 5, 0.1; 50, 0.1 ] do
            Assert.Equal(expected, LinearWarmup().Rate(0.1, t, 60), 15)
        for name, values, parameter in [ "step", [ "stepSize", "0" ], "stepSize"; "exponential", [ "gamma", "0" ], "gamma"
                                         "cosine", [ "tMax", "-1" ], "tMax"; "warmup", [ "startFactor", "0" ], "startFactor"
                                         "warmup", [ "endFactor", "1.5" ], "endFactor"; "warmup", [ "totalIters", "0" ], "totalIters" ] do
            let error = Assert.ThrowsAny<ArgumentException>(fun () -> schedules.Create(name, Map values) |> ignore)
            Assert.Equal(parameter, (match error.InnerException with :? ArgumentException as inner -> inner.ParamName | _ -> null))
