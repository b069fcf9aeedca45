using Engine.Activations;

namespace Engine.Losses;

/// <summary>
/// Binary cross-entropy, the mean over outputs of −[y·ln a + (1 − y)·ln(1 − a)], with each logarithm clamped at −100 (PyTorch's BCELoss)
/// so that a = 0 or 1 stays finite; ∂L/∂a = (a − y) / max(a(1 − a), 1e−12) / n (PyTorch's bound). Targets in [0, 1].
/// After <see cref="Sigmoid"/> it fuses: L = (1/n)·Σ[max(z, 0) − z·y + ln(1 + e^(−|z|))] and δᴸ = (a − y)/n, exact for every logit.
/// </summary>
public sealed class BinaryCrossEntropy : Loss, IFusedLoss
{
    /// <summary>The bound on a(1 − a) in the gradient's denominator.</summary>
    public const double DenominatorFloor = 1e-12;

    /// <inheritdoc/>
    public override string Name => "bce";

    /// <inheritdoc/>
    public override bool RequiresProbabilities => true;

    /// <inheritdoc/>
    public override string? Incompatibility(Activation output) =>
        output.OutputsSumToOne
            ? $"The {Name} loss treats each output as an independent probability, but {output.Name} couples them into one distribution; use sigmoid outputs with bce, or softmax with cce or sparse-cce."
            : base.Incompatibility(output);

    /// <inheritdoc/>
    public override bool HasAccuracy => true;

    /// <inheritdoc/>
    public override double Value(ReadOnlySpan<double> output, ReadOnlySpan<double> target)
    {
        double sum = 0;
        for (int j = 0; j < output.Length; j++)
            sum -= target[j] * Numerics.ClampedLog(output[j]) + (1.0 - target[j]) * Numerics.ClampedLog(1.0 - output[j]);
        return sum / output.Length;
    }

    /// <inheritdoc/>
    public override void Gradient(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> gradient)
    {
        for (int j = 0; j < output.Length; j++)
            gradient[j] = (output[j] - target[j]) / Math.Max(output[j] * (1.0 - output[j]), DenominatorFloor) / output.Length;
    }

    /// <inheritdoc/>
    public override void ValidateTarget(ReadOnlySpan<double> target, int outputWidth, int row) => RequireRange(target, row, 0.0, 1.0);

    /// <inheritdoc/>
    public override bool IsCorrect(ReadOnlySpan<double> output, ReadOnlySpan<double> target)
    {
        for (int j = 0; j < output.Length; j++) if (output[j] >= 0.5 != target[j] >= 0.5) return false;
        return true;
    }

    /// <inheritdoc/>
    public bool FusesWith(Activation activation) => activation is Sigmoid;

    /// <inheritdoc/>
    public double ValueFromLogits(ReadOnlySpan<double> logits, ReadOnlySpan<double> target)
    {
        double sum = 0;
        for (int j = 0; j < logits.Length; j++)
        {
            double z = logits[j];
            sum += Math.Max(z, 0.0) - z * target[j] + Numerics.Log1p(Math.Exp(-Math.Abs(z)));
        }
        return sum / logits.Length;
    }

    /// <inheritdoc/>
    public void OutputError(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> delta)
    {
        for (int j = 0; j < output.Length; j++) delta[j] = (output[j] - target[j]) / output.Length;
    }
}
