namespace Engine.Activations;

/// <summary>
/// What "saturated" means for an activation: where its slope σ'(z) is so small that almost no error passes back through it.
/// BP1 and BP2 multiply the error by σ'(z), δ = (…) ⊙ σ'(z), so where σ'(z) ≈ 0 the error δ, and with it every weight and bias
/// gradient into that unit (BP3, BP4), nearly vanishes: "The error δⱼᴸ will be small when the neuron is saturated" (seed 001).
/// </summary>
/// <remarks>
/// An activation opts in with one line in its own file, overriding <see cref="Activation.Saturation"/> with one of the two rules:
/// <see cref="SlopeBelow"/> for functions with flat tails (sigmoid, tanh), where every saturated entry is a sample whose error is
/// lost, and <see cref="Dead"/> for rectifiers, whose zero slope on half the line is by design and only a unit silent on the whole
/// batch is lost. The slopes come from the activation's own backward pass (its vector-Jacobian product with a cotangent of ones,
/// which for an elementwise activation is σ'(z)), so no rule repeats a derivative.
/// </remarks>
public abstract class Saturation
{
    /// <summary>The fraction of the peak slope below which an entry counts as saturated for <see cref="SlopeBelow"/>: 0.1.</summary>
    /// <remarks>
    /// An entry whose slope is under a tenth of the best the function offers passes back less than a tenth of the error it
    /// could. For sigmoid (peak ¼) that is |z| &gt; 3.64, a outside (0.026, 0.974); for tanh (peak 1) |z| &gt; 1.82, |a| &gt; 0.949.
    /// </remarks>
    public const double SlopeFraction = 0.1;

    private Saturation() { }

    /// <summary>
    /// Flat tails: entry (i, j), sample i and unit j, is saturated when |σ'(zᵢⱼ)| &lt; <see cref="SlopeFraction"/>·<paramref name="peakSlope"/>;
    /// the fraction is of all batch × width entries.
    /// </summary>
    /// <param name="peakSlope">max σ' over the real line (sigmoid ¼, tanh 1), positive and finite.</param>
    public static Saturation SlopeBelow(double peakSlope) =>
        peakSlope > 0 && double.IsFinite(peakSlope) ? new FlatTails(peakSlope)
            : throw new ArgumentOutOfRangeException(nameof(peakSlope), peakSlope, "peakSlope must be positive and finite.");

    /// <summary>Dead units: unit j is dead when σ'(zᵢⱼ) = 0 for every sample i of the batch; the fraction is of the width units.</summary>
    public static Saturation Dead { get; } = new DeadUnits();

    /// <summary>The rule in words, with its threshold.</summary>
    public abstract string Description { get; }

    /// <summary>The fraction of the layer's units that are saturated, in [0, 1].</summary>
    /// <param name="slopes">σ'(z) of a batch, <c>[rows, width]</c> row-major.</param>
    /// <param name="width">Units (values per sample).</param>
    public abstract double Fraction(ReadOnlySpan<double> slopes, int width);

    /// <inheritdoc/>
    public override string ToString() => Description;

    private sealed class FlatTails(double peakSlope) : Saturation
    {
        private readonly double threshold = SlopeFraction * peakSlope;

        public override string Description => $"|σ'(z)| < {SlopeFraction}·{peakSlope} per sample";

        public override double Fraction(ReadOnlySpan<double> slopes, int width)
        {
            int saturated = 0;
            foreach (double slope in slopes)
                if (Math.Abs(slope) < threshold) saturated++;
            return (double)saturated / slopes.Length;
        }
    }

    private sealed class DeadUnits : Saturation
    {
        public override string Description => "σ'(z) = 0 on every sample of the batch";

        public override double Fraction(ReadOnlySpan<double> slopes, int width)
        {
            int dead = 0;
            for (int j = 0; j < width; j++)
            {
                bool silent = true;
                for (int i = j; silent && i < slopes.Length; i += width) silent = slopes[i] == 0;
                if (silent) dead++;
            }
            return (double)dead / width;
        }
    }
}
