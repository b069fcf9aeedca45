namespace Engine.Verification

open System
open System.Collections.Generic
open System.Runtime.InteropServices
open FsCheck
open FsCheck.FSharp
open Engine
open Engine.Activations
open Engine.Losses

/// <summary>A case of the loss check: one output row of the width and its target, derived from the seed.</summary>
type LossSample =
    { Width: int
      Seed: int }
    override this.ToString() = sprintf "width %d, seed %d" this.Width this.Seed

/// <summary>
/// Verifies a loss's gradient ∂L/∂a against the 5-point stencil of L, and its value and gradient against dual numbers when a
/// reference formula is given; a loss with a closed form after an activation (<see cref="IFusedLoss"/>) has δ = ∂L/∂z and L
/// from the logits checked against the chain rule through that activation. Targets are drawn by <see cref="Verification.RandomTargets"/>;
/// outputs from [0.1, 0.9] where the loss takes logarithms, else [−3, 3], each Tolerances.margin from the loss's kinks.
/// </summary>
[<AbstractClass; Sealed>]
type LossCheck =
    /// <summary>Cases: widths 1–20; shrinking narrows the row.</summary>
    static member Samples =
        let generate = Gen.map2 (fun width seed -> { Width = width; Seed = seed }) (Gen.choose (1, 20)) (Gen.choose (0, Int32.MaxValue))
        Arb.fromGenShrink (generate, fun s -> if s.Width > 1 then seq { { s with Width = 1 }; { s with Width = s.Width / 2 } } else Seq.empty)

    /// <summary>
    /// Outputs (in [0.1, 0.9] where the loss takes logarithms, since the stencil's truncation error grows as a⁻⁷ near the
    /// logarithm's singularity; else in [−3, 3]) and valid targets, every element Tolerances.margin away from the loss's kinks;
    /// None when no such draw was found in 100 tries.
    /// </summary>
    static member Values(loss: Loss, sample: LossSample) =
        let random = Random sample.Seed
        let output () = if loss.RequiresProbabilities then 0.1 + 0.8 * random.NextDouble() else 6.0 * random.NextDouble() - 3.0
        match Engine.Verification.RandomTargets.Family(loss, sample.Width, random) with
        | null -> None
        | family ->
            let y = family.Invoke()
            let elementwise = y.Length = sample.Width
            let clear (a: float[]) = not elementwise || Array.forall2 (fun o t -> loss.DistanceToKink(o, t) >= Tolerances.margin) a y
            Seq.init 100 (fun _ -> Array.init sample.Width (fun _ -> output ())) |> Seq.tryFind clear |> Option.map (fun a -> a, y)

    /// <summary>The failures of one case (or why it could not be built), its errors recorded in the logs.</summary>
    static member Check(loss: Loss, reference: (Dual[] -> float[] -> Dual) option, numericalLog: Accuracy, exactLog: Accuracy, sample: LossSample) =
        match LossCheck.Values(loss, sample) with
        | None -> NotBuilt(sprintf "no valid targets, or no outputs %.2g from a kink of the %s loss" Tolerances.margin loss.Name)
        | Some(a, y) ->
            let gradient = Array.zeroCreate a.Length
            loss.Gradient(ReadOnlySpan a, ReadOnlySpan y, Span gradient)
            let value = loss.Value(ReadOnlySpan a, ReadOnlySpan y)
            let objective () = loss.Value(ReadOnlySpan a, ReadOnlySpan y)
            let entries =
                [ for j in 0 .. a.Length - 1 ->
                    { Name = sprintf "%s: dL/da[%d]" loss.Name j; Target = Input j; Get = (fun () -> a[j]); Set = (fun v -> a[j] <- v); Analytic = gradient[j] } ]
            numericalLog.Configuration()
            let valueFailures, exact =
                match reference with
                | None -> [], None
                | Some f ->
                    exactLog.Configuration()
                    let exactValue = (f (Array.map Dual.Constant a) y).V
                    let failures =
                        if Numerical.relativeError (Tolerances.exactFloor value 0.0) value exactValue <= Tolerances.exact then []
                        else [ sprintf "%s: value %.17g, dual numbers %.17g" loss.Name value exactValue ]
                    failures, Some(exactLog, function
                        | Input j -> (f (Array.init a.Length (fun i -> if i = j then Dual.Variable a[i] else Dual.Constant a[i])) y).D
                        | Parameter _ -> nan)
            let elementwise = y.Length = a.Length
            let policy =
                if elementwise then RequireMargin(fun () -> Array.fold2 (fun d o t -> min d (loss.DistanceToKink(o, t))) infinity a y) else Smooth
            Checked(valueFailures @ Compare.derivatives policy objective value numericalLog exact entries)

    /// <summary>
    /// For a fused loss and each of <paramref name="activations"/> it fuses with: δ and L from the logits against BP1's chain
    /// rule through the activation, on logits in [−8, 8] where no clamp acts, so both paths are finite and exact to rounding.
    /// </summary>
    static member CheckFused(loss: Loss, activations: seq<Activation>, log: Accuracy, sample: LossSample) =
        match box loss with
        | :? IFusedLoss as fused ->
            Checked [
                for activation in activations |> Seq.filter fused.FusesWith do
                    let random = Random sample.Seed
                    let z = Array.init sample.Width (fun _ -> 16.0 * random.NextDouble() - 8.0)
                    match Engine.Verification.RandomTargets.Family(loss, sample.Width, random) with
                    | null -> ()
                    | family ->
                        let y = family.Invoke()
                        log.Configuration()
                        let a = Array.zeroCreate sample.Width
                        activation.Forward(ReadOnlySpan z, Span a, sample.Width)
                        let direct = Array.zeroCreate sample.Width
                        fused.OutputError(ReadOnlySpan a, ReadOnlySpan y, Span direct)
                        let gradientA = Array.zeroCreate sample.Width
                        loss.Gradient(ReadOnlySpan a, ReadOnlySpan y, Span gradientA)
                        let chained = Array.zeroCreate sample.Width
                        activation.Backward(ReadOnlySpan z, ReadOnlySpan a, ReadOnlySpan gradientA, Span chained, sample.Width)
                        // Both are a − y up to rounding of the terms a and y themselves (the chain rule divides by a(1 − a) or aⱼ
                        // and multiplies back), so the floor is set by their size: a − y that cancels to 5e-5 is held to 1e-15.
                        let scale = Seq.max (Seq.concat [ Array.map abs direct; Array.map abs a; Array.map abs y ])
                        for j in 0 .. sample.Width - 1 do
                            let error = Numerical.relativeError (Tolerances.exactFloor 0.0 scale) direct[j] chained[j]
                            log.Add error
                            if not (error <= Tolerances.exact) then
                                yield sprintf "%s after %s: fused delta[%d] = %.17g, chain rule %.17g" loss.Name activation.Name j direct[j] chained[j]
                        let fromLogits = fused.ValueFromLogits(ReadOnlySpan z, ReadOnlySpan y)
                        let fromOutputs = loss.Value(ReadOnlySpan a, ReadOnlySpan y)
                        // The unfused value takes ln(1 − a) of an a that rounded near 1 (1 − σ(8) ≈ 3e-4 carries a relative error
                        // of ε/3e-4 ≈ 7e-13): so the values agree to 1e-12·max(1, |L|), the precision the unfused path has.
                        let error = abs (fromLogits - fromOutputs) / max 1.0 (abs fromLogits)
                        log.Add error
                        if not (error <= Tolerances.exact) then
                            yield sprintf "%s after %s: value from logits %.17g, from outputs %.17g" loss.Name activation.Name fromLogits fromOutputs ]
        | _ -> Checked []

    static member private Run(loss: Loss, reference, activations: seq<Activation> option, options: CheckOptions) =
        let options = if isNull options then CheckOptions() else options
        let activations = activations |> Option.defaultValue (Registry<Activation>.Builtin.All :> seq<_>)
        let numerical = Accuracy(sprintf "%s gradient vs 5-point stencil" loss.Name)
        let exact = Accuracy(sprintf "%s gradient vs dual numbers" loss.Name)
        let fused = Accuracy(sprintf "%s fused delta and value vs chain rule" loss.Name)
        let logs = [ yield numerical; if Option.isSome reference then yield exact; if box loss :? IFusedLoss then yield fused ]
        Run.propertyWith (sprintf "loss %s" loss.Name) (options.CasesOr 300) logs (fun () -> []) options.RunSeed LossCheck.Samples (fun s ->
            match LossCheck.Check(loss, reference, numerical, exact, s), LossCheck.CheckFused(loss, activations, fused, s) with
            | Checked a, Checked b -> Checked(a @ b)
            | NotBuilt reason, _ | _, NotBuilt reason -> NotBuilt reason)

    /// <summary>Verifies the loss against the 5-point stencil (and its fused paths, if any, after the built-in activations).</summary>
    /// <param name="loss">The loss.</param>
    /// <param name="options">Cases and seed (null: 300 cases, the seed from VERIFY_SEED, CI or a fresh one).</param>
    /// <exception cref="VerificationException">A derivative is wrong: the message gives the smallest failing case and the seed.</exception>
    static member Verify(loss: Loss, [<Optional; DefaultParameterValue(null: CheckOptions)>] options: CheckOptions) =
        LossCheck.Run(loss, None, None, options)

    /// <summary>Verifies the loss against the 5-point stencil and against <paramref name="reference"/> over dual numbers.</summary>
    /// <param name="loss">The loss.</param>
    /// <param name="reference">L(a, y) of one sample written again over dual numbers.</param>
    /// <param name="options">Cases and seed (null: the defaults).</param>
    /// <exception cref="VerificationException">A derivative is wrong: the message gives the smallest failing case and the seed.</exception>
    static member Verify(loss: Loss, reference: Func<Dual[], double[], Dual>, [<Optional; DefaultParameterValue(null: CheckOptions)>] options: CheckOptions) =
        LossCheck.Run(loss, Some(fun a y -> reference.Invoke(a, y)), None, options)

    /// <summary>As <see cref="Verify(Loss, CheckOptions)"/>, with the fused paths checked after <paramref name="activations"/> (e.g. your own).</summary>
    /// <param name="loss">The loss.</param>
    /// <param name="activations">The activations whose fused paths are checked.</param>
    /// <param name="options">Cases and seed (null: the defaults).</param>
    static member Verify(loss: Loss, activations: IEnumerable<Activation>, [<Optional; DefaultParameterValue(null: CheckOptions)>] options: CheckOptions) =
        LossCheck.Run(loss, None, Some(activations), options)
