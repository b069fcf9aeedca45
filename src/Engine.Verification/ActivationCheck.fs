namespace Engine.Verification

open System
open System.Runtime.InteropServices
open FsCheck
open FsCheck.FSharp
open Engine
open Engine.Activations

/// <summary>An activation written again over dual numbers, the exact oracle: elementwise, or on a whole row (as softmax).</summary>
type ActivationReference =
    | Elementwise of (Dual -> Dual)
    | Rowwise of (Dual[] -> Dual[])

    /// <summary>The reference applied to one row.</summary>
    member this.Apply(z: Dual[]) =
        match this with
        | Elementwise f -> Array.map f z
        | Rowwise f -> f z

/// <summary>A case of the activation check: rows × width pre-activations and cotangents, derived from the seed.</summary>
type ActivationSample =
    { Width: int
      Rows: int
      Seed: int }
    override this.ToString() = sprintf "width %d, rows %d, seed %d" this.Width this.Rows this.Seed

/// <summary>How many cases a check runs, and optionally the run seed; every property is also scaled by VERIFY_SCALE.</summary>
[<AllowNullLiteral>]
type CheckOptions() =
    /// <summary>Cases at VERIFY_SCALE = 1 (0: the check's default).</summary>
    member val Cases = 0 with get, set
    /// <summary>The run seed, overriding VERIFY_SEED and the CI or fresh seed (null: from Seeds).</summary>
    member val Seed = Nullable<uint64>() with get, set

    /// <summary>The cases to run given a default.</summary>
    member this.CasesOr(fallback: int) = if this.Cases > 0 then this.Cases else fallback
    /// <summary>The run seed.</summary>
    member this.RunSeed = if this.Seed.HasValue then this.Seed.Value else Seeds.run

/// <summary>
/// Verifies an activation's backward pass, a vector-Jacobian product ∂C/∂z = (∂a/∂z)ᵀ·∂C/∂a, against the 5-point stencil of
/// g·σ(z) for a random cotangent g, and against dual numbers when a reference formula is given. Pre-activations are drawn
/// from [−4, 4], each at least Tolerances.margin from a kink the activation declares (<see cref="Activation.Kinks"/>).
/// </summary>
[<AbstractClass; Sealed>]
type ActivationCheck =
    /// <summary>Cases: widths 1–20, 1–4 rows; shrinking narrows the rows and drops rows.</summary>
    static member Samples =
        let generate =
            gen {
                let! width = Gen.choose (1, 20)
                let! rows = Gen.choose (1, 4)
                let! seed = Gen.choose (0, Int32.MaxValue)
                return { Width = width; Rows = rows; Seed = seed }
            }
        let shrink (s: ActivationSample) =
            seq {
                if s.Rows > 1 then yield { s with Rows = 1 }
                if s.Width > 1 then yield { s with Width = 1 }; yield { s with Width = s.Width / 2 }
            }
        Arb.fromGenShrink (generate, shrink)

    /// <summary>Pre-activations spread over [−4, 4], each at least Tolerances.margin from a declared kink, and a cotangent.</summary>
    static member Values(activation: Activation, sample: ActivationSample) =
        let random = Random sample.Seed
        let rec draw () =
            let z = 8.0 * random.NextDouble() - 4.0
            if activation.DistanceToKink z >= Tolerances.margin then z else draw ()
        let n = sample.Rows * sample.Width
        Array.init n (fun _ -> draw ()), Array.init n (fun _ -> Numerics.StandardNormal random)

    /// <summary>The failures of one case, its errors recorded in the logs (the exact log only with a reference).</summary>
    static member Check(activation: Activation, reference: ActivationReference option, numericalLog: Accuracy, exactLog: Accuracy, sample: ActivationSample) =
        let z, g = ActivationCheck.Values(activation, sample)
        let width = sample.Width
        let a = Array.zeroCreate z.Length
        activation.Forward(ReadOnlySpan z, Span a, width)
        let vjp = Array.zeroCreate z.Length
        activation.Backward(ReadOnlySpan z, ReadOnlySpan a, ReadOnlySpan g, Span vjp, width)
        let scratch = Array.zeroCreate z.Length
        let objective () =
            activation.Forward(ReadOnlySpan z, Span scratch, width)
            Array.fold2 (fun s x y -> s + x * y) 0.0 g scratch
        // The stencil differences g·σ(z), a sum whose rounding scales with its terms Σ|gᵢ·aᵢ|, not with its (possibly cancelling) value.
        let scale = Array.fold2 (fun s x y -> s + abs (x * y)) 0.0 g a
        let entries =
            [ for k in 0 .. z.Length - 1 ->
                { Name = sprintf "%s: dz[%d, %d]" activation.Name (k / width) (k % width); Target = Input k
                  Get = (fun () -> z[k]); Set = (fun v -> z[k] <- v); Analytic = vjp[k] } ]
        let exact =
            reference |> Option.map (fun (r: ActivationReference) ->
                exactLog.Configuration()
                exactLog, (fun target ->
                    match target with
                    | Input k ->
                        let row = k / width
                        let dual = Array.init width (fun j -> let i = row * width + j in if i = k then Dual.Variable z[i] else Dual.Constant z[i])
                        Array.fold2 (fun sum (o: Dual) gj -> sum + o.D * gj) 0.0 (r.Apply dual) (Array.sub g (row * width) width)
                    | Target.Parameter _ -> nan))
        numericalLog.Configuration()
        let policy = if activation.Kinks.Count = 0 then Smooth else RequireMargin(fun () -> z |> Array.fold (fun d v -> min d (activation.DistanceToKink v)) infinity)
        Compare.derivatives policy objective scale numericalLog exact entries

    static member private Run(activation: Activation, reference: ActivationReference option, options: CheckOptions) =
        let options = if isNull options then CheckOptions() else options
        let numerical = Accuracy(sprintf "%s VJP vs 5-point stencil" activation.Name)
        let exact = Accuracy(sprintf "%s VJP vs dual numbers" activation.Name)
        let logs = numerical :: (if reference.IsSome then [ exact ] else [])
        Run.propertyWith (sprintf "activation %s" activation.Name) (options.CasesOr 300) logs (fun () -> []) options.RunSeed ActivationCheck.Samples
            (fun s -> Checked(ActivationCheck.Check(activation, reference, numerical, exact, s)))

    /// <summary>Verifies the activation against the 5-point stencil.</summary>
    /// <param name="activation">The activation (your own type, or a built-in one with chosen hyperparameters).</param>
    /// <param name="options">Cases and seed (null: 300 cases, the seed from VERIFY_SEED, CI or a fresh one).</param>
    /// <returns>The report: cases, comparisons, the largest and median errors, the seed.</returns>
    /// <exception cref="VerificationException">A derivative is wrong: the message gives the smallest failing case and the seed.</exception>
    static member Verify(activation: Activation, [<Optional; DefaultParameterValue(null: CheckOptions)>] options: CheckOptions) =
        ActivationCheck.Run(activation, None, options)

    /// <summary>Verifies an elementwise activation against the 5-point stencil and against <paramref name="reference"/> over dual numbers.</summary>
    /// <param name="activation">The activation.</param>
    /// <param name="reference">σ written again over dual numbers, e.g. <c>z =&gt; z / (1 + Dual.Abs(z))</c>.</param>
    /// <param name="options">Cases and seed (null: the defaults).</param>
    /// <exception cref="VerificationException">A derivative is wrong: the message gives the smallest failing case and the seed.</exception>
    static member Verify(activation: Activation, reference: Func<Dual, Dual>, [<Optional; DefaultParameterValue(null: CheckOptions)>] options: CheckOptions) =
        ActivationCheck.Run(activation, Some(Elementwise reference.Invoke), options)

    /// <summary>Verifies a row-wise activation (as softmax) against the 5-point stencil and against <paramref name="reference"/> over dual numbers.</summary>
    /// <param name="activation">The activation.</param>
    /// <param name="reference">σ of one row written again over dual numbers.</param>
    /// <param name="options">Cases and seed (null: the defaults).</param>
    /// <exception cref="VerificationException">A derivative is wrong: the message gives the smallest failing case and the seed.</exception>
    static member Verify(activation: Activation, reference: Func<Dual[], Dual[]>, [<Optional; DefaultParameterValue(null: CheckOptions)>] options: CheckOptions) =
        ActivationCheck.Run(activation, Some(Rowwise reference.Invoke), options)
