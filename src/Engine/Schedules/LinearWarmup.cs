namespace Engine.Schedules;

/// <summary>
/// Linear warm-up, PyTorch's <c>LinearLR</c>: the factor of γ₀ moves linearly from <c>startFactor</c> to <c>endFactor</c> over
/// <c>totalIters</c> epochs, then stays. γₜ = γ₀·(s + (e − s)·min(t, n)/n).
/// </summary>
public sealed class LinearWarmup : Schedule
{
    /// <summary>PyTorch's defaults: from γ₀/3 to γ₀ over 5 epochs.</summary>
    public LinearWarmup() : this(1.0 / 3.0, 1.0, 5) { }

    /// <summary>A chosen ramp.</summary>
    /// <param name="startFactor">s in (0, 1], the factor of the first epoch.</param>
    /// <param name="endFactor">e in [0, 1], the factor from epoch n on.</param>
    /// <param name="totalIters">n ≥ 1, the epochs of the ramp.</param>
    public LinearWarmup([Hyperparameter(0.01, 1.0)] double startFactor, [Hyperparameter(0.0, 1.0)] double endFactor, [Hyperparameter(1, 20)] int totalIters)
    {
        StartFactor = startFactor > 0 && startFactor <= 1 ? startFactor
            : throw new ArgumentOutOfRangeException(nameof(startFactor), startFactor, "startFactor must lie in (0, 1].");
        EndFactor = endFactor >= 0 && endFactor <= 1 ? endFactor
            : throw new ArgumentOutOfRangeException(nameof(endFactor), endFactor, "endFactor must lie in [0, 1].");
        TotalIters = totalIters >= 1 ? totalIters : throw new ArgumentOutOfRangeException(nameof(totalIters), totalIters, "totalIters must be at least 1.");
    }

    /// <summary>s, PyTorch's <c>start_factor</c>.</summary>
    public double StartFactor { get; }

    /// <summary>e, PyTorch's <c>end_factor</c>.</summary>
    public double EndFactor { get; }

    /// <summary>n, PyTorch's <c>total_iters</c> (here epochs).</summary>
    public int TotalIters { get; }

    /// <inheritdoc/>
    public override string Name => "warmup";

    /// <inheritdoc/>
    public override double Rate(double initialRate, int epoch, int epochs)
    {
        // s + (e − s)·f written as the convex combination (1 − f)·s + f·e: exactly e from epoch n on, never below 0 (the
        // first form leaves −s·(1 − n/n) rounding residue, e.g. −4e-21 for e = 0).
        double f = (double)Math.Min(epoch, TotalIters) / TotalIters;
        return initialRate * ((1.0 - f) * StartFactor + f * EndFactor);
    }
}
