using Engine.Kernels;
using Engine.Networks;

namespace Engine.Training;

/// <summary>
/// Gradient clipping by global norm, PyTorch's <c>clip_grad_norm_(max_norm)</c>: with ‖g‖ = √(Σₚ Σᵢ gₚᵢ²) over every parameter
/// that is not frozen, if ‖g‖ &gt; maxNorm then every g ← g·maxNorm/(‖g‖ + 10⁻⁶). The direction is kept, the norm ends just below
/// maxNorm. At or below maxNorm nothing changes (PyTorch also scales by maxNorm/(‖g‖ + 10⁻⁶) when ‖g‖ lies within 10⁻⁶ under
/// maxNorm, by a factor above 1 − 10⁻⁶/maxNorm).
/// </summary>
public static class GradientClipping
{
    /// <summary>PyTorch's guard against dividing by a zero norm, kept so clipped gradients match its values.</summary>
    public const double Epsilon = 1e-6;

    /// <summary>Clips the gradients of <paramref name="parameters"/> in place.</summary>
    /// <param name="parameters">The parameters (frozen ones are left out of the norm and unchanged).</param>
    /// <param name="maxNorm">The largest global norm left unchanged, positive and finite.</param>
    /// <returns>The global norm before clipping.</returns>
    public static double ClipByGlobalNorm(IReadOnlyList<Parameter> parameters, double maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        if (!(maxNorm > 0) || !double.IsFinite(maxNorm)) throw new ArgumentOutOfRangeException(nameof(maxNorm), maxNorm, "maxNorm must be positive and finite.");
        double norm = GlobalNorm(parameters);
        if (norm > maxNorm)
        {
            double scale = maxNorm / (norm + Epsilon);
            for (int p = 0; p < parameters.Count; p++)
                if (!parameters[p].Frozen) VectorOps.Scale(parameters[p].Gradient, scale);
        }
        return norm;
    }

    /// <summary>√(Σₚ Σᵢ gₚᵢ²) over the parameters that are not frozen; exact in range for any finite gradient (rescaled if the squares overflow).</summary>
    /// <param name="parameters">The parameters.</param>
    public static double GlobalNorm(IReadOnlyList<Parameter> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        double sum = 0;
        for (int p = 0; p < parameters.Count; p++)
            if (!parameters[p].Frozen) sum += VectorOps.SumOfSquares(parameters[p].Gradient);
        if (double.IsFinite(sum)) return Math.Sqrt(sum);
        // Some gᵢ² overflowed: divide by the largest |gᵢ| first (as BLAS's nrm2), so a finite norm up to double.MaxValue is exact.
        double largest = 0;
        for (int p = 0; p < parameters.Count; p++)
            if (!parameters[p].Frozen)
                foreach (double g in parameters[p].Gradient) largest = Math.Max(largest, Math.Abs(g));
        double scaled = 0;
        for (int p = 0; p < parameters.Count; p++)
            if (!parameters[p].Frozen)
                foreach (double g in parameters[p].Gradient) scaled += (g / largest) * (g / largest);
        return largest * Math.Sqrt(scaled);
    }
}
