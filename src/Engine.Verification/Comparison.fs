namespace Engine.Verification

open System

/// <summary>Which value a derivative is taken with respect to.</summary>
type Target =
    /// <summary>Element <c>index</c> of parameter tensor <c>parameter</c> of layer <c>layer</c> (0-based).</summary>
    | Parameter of layer: int * parameter: int * index: int
    /// <summary>Element <c>index</c> of the inputs.</summary>
    | Input of index: int

/// <summary>One differentiable value: its name in messages, which value it is, how to read and move it, and the analytic derivative.</summary>
type Entry =
    { Name: string
      Target: Target
      Get: unit -> float
      Set: float -> unit
      Analytic: float }

/// <summary>How the numerical oracle treats a stencil near a kink, where finite differences are meaningless.</summary>
type KinkPolicy =
    /// <summary>The function is smooth everywhere.</summary>
    | Smooth
    /// <summary>
    /// The case was generated with every kink argument at least Tolerances.margin away (distance gives the smallest distance at the
    /// current values): a stencil that comes within half of it is a failure of the generator.
    /// </summary>
    | RequireMargin of distance: (unit -> float)
    /// <summary>
    /// No margin could be promised (e.g. a convolution's bias is shared by every position): a stencil along which the fingerprint (which
    /// side of each kink every argument lies on) changes is left to the exact oracle and counted in <c>skipped</c>.
    /// </summary>
    | SkipStraddles of fingerprint: (unit -> int[]) * skipped: int ref

/// Compares analytic derivatives with the numerical oracle and, where given, the exact one.
module Compare =
    /// <summary>
    /// The failures among `entries`: each analytic derivative of `objective` against the 5-point stencil (Tolerances.numerical
    /// above the floor numericalFloor(scale)) and, when `exact` is given, against its exact derivative (Tolerances.exact above
    /// exactFloor(scale, g∞)). Every error is recorded in the logs. `scale` is the size of the objective's terms, whose rounding
    /// the floors are set by.
    /// </summary>
    let derivatives (policy: KinkPolicy) (objective: unit -> float) (scale: float) (numericalLog: Accuracy)
                    (exact: (Accuracy * (Target -> float)) option) (entries: Entry list) : string list =
        let largest = entries |> List.fold (fun m e -> max m (abs e.Analytic)) 0.0
        let failures = ResizeArray<string>()
        for entry in entries do
            let theta = entry.Get()
            let mutable closest = Double.PositiveInfinity
            let sides = match policy with SkipStraddles(fingerprint, _) -> (objective () |> ignore; fingerprint ()) | _ -> [||]
            let mutable straddles = false
            let numerical =
                Numerical.derivative theta entry.Set (fun () ->
                    let value = objective ()
                    match policy with
                    | RequireMargin distance -> closest <- min closest (distance ())
                    | SkipStraddles(fingerprint, _) -> straddles <- straddles || fingerprint () <> sides
                    | Smooth -> ()
                    value)
            match policy with
            | RequireMargin _ when closest < Tolerances.margin / 2.0 ->
                failures.Add(sprintf "%s: the stencil came within %.2g of a kink (generator margin %.2g)" entry.Name closest Tolerances.margin)
            | SkipStraddles(_, skipped) when straddles -> Threading.Interlocked.Increment skipped |> ignore
            | _ ->
                let error = Numerical.relativeError (Tolerances.numericalFloor scale) entry.Analytic numerical
                numericalLog.Add error
                if not (error <= Tolerances.numerical) then
                    failures.Add(sprintf "%s: analytic %.17g, 5-point stencil %.17g, error %.2e" entry.Name entry.Analytic numerical error)
            match exact with
            | Some(log, derivative) ->
                let value = derivative entry.Target
                let error = Numerical.relativeError (Tolerances.exactFloor scale largest) entry.Analytic value
                log.Add error
                if not (error <= Tolerances.exact) then
                    failures.Add(sprintf "%s: analytic %.17g, dual numbers %.17g, error %.2e" entry.Name entry.Analytic value error)
            | None -> ()
        List.ofSeq failures
