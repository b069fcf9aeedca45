/// Property 3: each loss's gradient against numerics and dual numbers; each fused path against the chain rule.
/// (Property 9, the corners, is in Kinks.fs.)
module LossProperties

open System
open Xunit
open Xunit.Abstractions
open FsCheck
open FsCheck.FSharp
open Engine.Losses
open Generators

let numericalLog = Settings.ErrorLog "3. loss gradient vs 5-point stencil"

let exactLog = Settings.ErrorLog "3. loss gradient vs dual numbers"

let fusedLog = Settings.ErrorLog "3. fused delta and value vs chain rule"

/// A loss, an output width and the seed of the values.
type Sample = { Loss: string; Width: int; Seed: int }

let samples =
    gen {
        let! name = Gen.elements losses.Names
        let! width = Gen.choose (1, 20)
        let! seed = Gen.choose (0, Int32.MaxValue)
        return { Loss = name; Width = width; Seed = seed }
    } |> Arb.fromGen

/// Outputs (in [0.1, 0.9] where the loss takes logarithms, since the stencil's truncation error grows as a⁻⁷ near the
/// logarithm's singularity; else in [−3, 3]) and valid targets, every element `margin`
/// away from the loss's kinks; None when no such draw was found.
let values (s: Sample) =
    let loss = losses.Get s.Loss
    let random = Random s.Seed
    let output () = if loss.RequiresProbabilities then 0.1 + 0.8 * random.NextDouble() else 6.0 * random.NextDouble() - 3.0
    match drawTargets random loss s.Width 1 with
    | None -> None
    | Some(_, y) ->
        let elementwise = y.Length = s.Width
        let clear (a: float[]) = not elementwise || Array.forall2 (fun o t -> loss.DistanceToKink(o, t) >= margin) a y
        Seq.init 100 (fun _ -> Array.init s.Width (fun _ -> output ())) |> Seq.tryFind clear |> Option.map (fun a -> loss, a, y)

let check (s: Sample) =
    let failures = ResizeArray<string>()
    match values s with
    | None -> ()
    | Some(loss, a, y) ->
        let gradient = Array.zeroCreate a.Length
        loss.Gradient(ReadOnlySpan a, ReadOnlySpan y, Span gradient)
        let value = loss.Value(ReadOnlySpan a, ReadOnlySpan y)
        let floor = Tolerances.numericalFloor value
        numericalLog.Configuration()
        for j in 0 .. a.Length - 1 do
            let numerical = Numerical.derivative a[j] (fun v -> a[j] <- v) (fun () -> loss.Value(ReadOnlySpan a, ReadOnlySpan y))
            let error = Numerical.relativeError floor gradient[j] numerical
            numericalLog.Add error
            if not (error <= Tolerances.numerical) then failures.Add(sprintf "%s: dL/da[%d] = %.17g, 5-point stencil %.17g (error %.2e)" s.Loss j gradient[j] numerical error)
        match ReferenceTable.losses.TryFind s.Loss with
        | Some reference ->
            exactLog.Configuration()
            let exactValue = (reference (Array.map Dual.constant a) y).V
            if not (Numerical.relativeError (Tolerances.exactFloor value 0.0) value exactValue <= Tolerances.exact) then failures.Add(sprintf "%s: value %.17g, reference %.17g" s.Loss value exactValue)
            for j in 0 .. a.Length - 1 do
                let exact = (reference (Array.init a.Length (fun i -> if i = j then Dual.variable a[i] else Dual.constant a[i])) y).D
                let error = Numerical.relativeError (Tolerances.exactFloor value (Array.map abs gradient |> Array.max)) gradient[j] exact
                exactLog.Add error
                if not (error <= Tolerances.exact) then failures.Add(sprintf "%s: dL/da[%d] = %.17g, dual numbers %.17g (error %.2e)" s.Loss j gradient[j] exact error)
        | None -> ()
    failures

/// For each fused loss and each activation it fuses with: δ and L from the logits against BP1's chain rule through the
/// activation, on logits in [−8, 8] where no clamp acts, so both paths are finite and exact to rounding.
let checkFused (s: Sample) =
    let failures = ResizeArray<string>()
    let loss = losses.Get s.Loss
    match box loss with
    | :? IFusedLoss as fused ->
        for activation in activations.All |> Seq.filter fused.FusesWith do
            let random = Random s.Seed
            let z = Array.init s.Width (fun _ -> 16.0 * random.NextDouble() - 8.0)
            match drawTargets random loss s.Width 1 with
            | None -> ()
            | Some(_, y) ->
                fusedLog.Configuration()
                let a = Array.zeroCreate s.Width
                activation.Forward(ReadOnlySpan z, Span a, s.Width)
                let direct = Array.zeroCreate s.Width
                fused.OutputError(ReadOnlySpan a, ReadOnlySpan y, Span direct)
                let gradientA = Array.zeroCreate s.Width
                loss.Gradient(ReadOnlySpan a, ReadOnlySpan y, Span gradientA)
                let chained = Array.zeroCreate s.Width
                activation.Backward(ReadOnlySpan z, ReadOnlySpan a, ReadOnlySpan gradientA, Span chained, s.Width)
                // Both are a − y up to rounding of the terms a and y themselves (the chain rule divides by a(1 − a) or aⱼ
                // and multiplies back), so the floor is set by their size: a − y that cancels to 5e-5 is held to 1e-15.
                let scale = Seq.max (Seq.concat [ Array.map abs direct; Array.map abs a; Array.map abs y ])
                for j in 0 .. s.Width - 1 do
                    let error = Numerical.relativeError (Tolerances.exactFloor 0.0 scale) direct[j] chained[j]
                    fusedLog.Add error
                    if not (error <= Tolerances.exact) then failures.Add(sprintf "%s after %s: fused delta[%d] = %.17g, chain rule %.17g" s.Loss activation.Name j direct[j] chained[j])
                let fromLogits = fused.ValueFromLogits(ReadOnlySpan z, ReadOnlySpan y)
                let fromOutputs = loss.Value(ReadOnlySpan a, ReadOnlySpan y)
                // The unfused value takes ln(1 − a) of an a that rounded near 1 (1 − σ(8) ≈ 3e-4 carries a relative error
                // of ε/3e-4 ≈ 7e-13): so the values agree to 1e-12·max(1, |L|), the precision the unfused path has.
                let error = abs (fromLogits - fromOutputs) / max 1.0 (abs fromLogits)
                fusedLog.Add error
                if not (error <= Tolerances.exact) then
                    failures.Add(sprintf "%s after %s: value from logits %.17g, from outputs %.17g" s.Loss activation.Name fromLogits fromOutputs)
    | _ -> ()
    failures

let private prop (f: Sample -> ResizeArray<string>) =
    Prop.forAll samples (fun s -> let r = f s in r.Count = 0 |> Prop.label (sprintf "%A\n%s" s (String.Join("\n", Seq.truncate 5 r))))

type Tests(output: ITestOutputHelper) =
    [<Fact>]
    member _.``every loss's gradient matches the 5-point stencil and dual numbers`` () =
        try Check.One(Settings.config 300, prop check)
        finally
            output.WriteLine(numericalLog.Summary())
            output.WriteLine(exactLog.Summary())

    [<Fact>]
    member _.``the fused output paths equal the unfused chain rule wherever both are finite`` () =
        try Check.One(Settings.config 300, prop checkFused)
        finally output.WriteLine(fusedLog.Summary())
