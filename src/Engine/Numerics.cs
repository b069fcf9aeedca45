namespace Engine;

/// <summary>Scalar functions the .NET math library lacks, computed without cancellation, and the one normal draw every seeded source uses.</summary>
public static class Numerics
{
    /// <summary>ln(1 + x), accurate for tiny x where 1 + x rounds (Goldberg's correction: ln(u)·x/(u − 1) with u = 1 + x).</summary>
    /// <param name="x">A value greater than −1.</param>
    public static double Log1p(double x)
    {
        double u = 1.0 + x;
        return u == 1.0 ? x : Math.Log(u) * x / (u - 1.0);
    }

    /// <summary>The floor of <see cref="ClampedLog"/>: ln p ≥ −100, PyTorch's clamp in BCELoss, so a probability of exactly 0 costs 100, not ∞.</summary>
    public const double LogFloor = -100.0;

    /// <summary>The probability at which <see cref="ClampedLog"/> reaches its floor, e^(−100) ≈ 3.7e−44.</summary>
    public static readonly double MinProbability = Math.Exp(LogFloor);

    /// <summary>max(ln p, −100): finite at p = 0.</summary>
    /// <param name="p">A probability.</param>
    public static double ClampedLog(double p) => Math.Max(Math.Log(p), LogFloor);

    /// <summary>ln Σⱼ e^(xⱼ), evaluated as m + ln Σⱼ e^(xⱼ − m) with m = max x, so it never overflows.</summary>
    /// <param name="x">A non-empty row.</param>
    public static double LogSumExp(ReadOnlySpan<double> x)
    {
        double max = double.NegativeInfinity;
        foreach (double v in x) max = Math.Max(max, v);
        return max + Math.Log(Kernels.VectorOps.ExpSum(x, max, Span<double>.Empty));
    }

    /// <summary>A standard normal draw by Box–Muller (1 − u keeps the logarithm's argument in (0, 1]).</summary>
    /// <param name="random">The seeded source.</param>
    public static double StandardNormal(Random random) =>
        Math.Sqrt(-2.0 * Math.Log(1.0 - random.NextDouble())) * Math.Cos(2.0 * Math.PI * random.NextDouble());
}
