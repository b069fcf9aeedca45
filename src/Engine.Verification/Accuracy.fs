namespace Engine.Verification

open System.Collections.Concurrent
open System.Threading

/// <summary>
/// The errors one oracle comparison observed, so that a check reports the accuracy it achieved and not only pass or fail:
/// how many configurations (generated cases) and comparisons, the largest and the median error.
/// </summary>
/// <param name="name">What is compared, e.g. "activation VJP vs 5-point stencil".</param>
type Accuracy(name: string) =
    let errors = ConcurrentBag<float>()
    let mutable configurations = 0

    /// <summary>What is compared.</summary>
    member _.Name = name

    /// <summary>Records one comparison's error.</summary>
    member _.Add(error: float) = errors.Add error

    /// <summary>Counts one configuration (a generated case).</summary>
    member _.Configuration() = Interlocked.Increment(&configurations) |> ignore

    /// <summary>Configurations counted.</summary>
    member _.Configurations = configurations

    /// <summary>Comparisons recorded.</summary>
    member _.Comparisons = errors.Count

    /// <summary>The largest error (0 when none was recorded).</summary>
    member _.Max = if errors.IsEmpty then 0.0 else Seq.max errors

    /// <summary>The median error (0 when none was recorded).</summary>
    member _.Median =
        let sorted = errors |> Seq.sort |> Array.ofSeq
        if sorted.Length = 0 then 0.0 else sorted[sorted.Length / 2]

    /// <summary>One line: name, configurations, comparisons, max and median error.</summary>
    member this.Summary() =
        sprintf "%-58s %6d configurations %9d comparisons   max %.2e   median %.2e" name configurations this.Comparisons this.Max this.Median

    /// <inheritdoc/>
    override this.ToString() = this.Summary()
