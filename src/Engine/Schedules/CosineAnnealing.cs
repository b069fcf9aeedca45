namespace Engine.Schedules;

/// <summary>
/// Cosine annealing, PyTorch's <c>CosineAnnealingLR</c> (its closed form): from γ₀ down to η_min over T epochs,
/// γₜ = η_min + (γ₀ − η_min)·(1 + cos(π·t/T))/2. T is <c>tMax</c>, or the run's length when <c>tMax</c> is 0 (the default), so
/// the last epoch runs at nearly η_min. Beyond T the cosine continues, rising again as PyTorch's does.
/// </summary>
public sealed class CosineAnnealing : Schedule
{
    /// <summary>Over the whole run, down to 0.</summary>
    public CosineAnnealing() : this(0, 0.0) { }

    /// <summary>A chosen period and floor.</summary>
    /// <param name="tMax">T in epochs, ≥ 1; or 0 for the run's length.</param>
    /// <param name="etaMin">η_min ≥ 0, the rate reached at t = T.</param>
    public CosineAnnealing([Hyperparameter(0, 100)] int tMax, [Hyperparameter(0.0, 1e-3)] double etaMin)
    {
        TMax = tMax >= 0 ? tMax : throw new ArgumentOutOfRangeException(nameof(tMax), tMax, "tMax must be at least 1, or 0 for the whole run.");
        EtaMin = etaMin >= 0 && double.IsFinite(etaMin) ? etaMin : throw new ArgumentOutOfRangeException(nameof(etaMin), etaMin, "etaMin must be non-negative and finite.");
    }

    /// <summary>T, PyTorch's <c>T_max</c> (0: the run's length).</summary>
    public int TMax { get; }

    /// <summary>η_min, PyTorch's <c>eta_min</c>.</summary>
    public double EtaMin { get; }

    /// <inheritdoc/>
    public override string Name => "cosine";

    /// <inheritdoc/>
    public override double Rate(double initialRate, int epoch, int epochs)
    {
        int period = TMax > 0 ? TMax : Math.Max(1, epochs);
        return EtaMin + (initialRate - EtaMin) * (1.0 + Math.Cos(Math.PI * epoch / period)) / 2.0;
    }
}
