using Engine.Activations;

namespace Engine.Losses;

/// <summary>
/// Categorical cross-entropy over one-hot (or probability) target rows: L = −Σⱼ yⱼ·ln aⱼ (a sum over classes), each logarithm clamped
/// at −100; ∂L/∂aⱼ = −yⱼ / max(aⱼ, e^(−100)). After <see cref="Softmax"/> it fuses: L = logsumexp(z) − Σⱼ yⱼzⱼ and δᴸ = a − y.
/// </summary>
public sealed class CategoricalCrossEntropy : Loss, IFusedLoss
{
    /// <summary>How far a target row's sum may stray from 1.</summary>
    public const double SumTolerance = 1e-9;

    /// <inheritdoc/>
    public override string Name => "cce";

    /// <inheritdoc/>
    public override bool RequiresProbabilities => true;

    /// <inheritdoc/>
    public override string? Incompatibility(Activation output) =>
        output.OutputsSumToOne ? null
            : $"The {Name} loss needs outputs that form a distribution over the classes (softmax), but the output activation is {output.Name}; use softmax, or bce for independent outputs.";

    /// <inheritdoc/>
    public override bool HasAccuracy => true;

    /// <inheritdoc/>
    public override double Value(ReadOnlySpan<double> output, ReadOnlySpan<double> target)
    {
        double sum = 0;
        for (int j = 0; j < output.Length; j++) if (target[j] != 0) sum -= target[j] * Numerics.ClampedLog(output[j]);
        return sum;
    }

    /// <inheritdoc/>
    public override void Gradient(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> gradient)
    {
        for (int j = 0; j < output.Length; j++) gradient[j] = -target[j] / Math.Max(output[j], Numerics.MinProbability);
    }

    /// <inheritdoc/>
    public override void ValidateTarget(ReadOnlySpan<double> target, int outputWidth, int row)
    {
        RequireRange(target, row, 0.0, 1.0);
        double sum = 0;
        foreach (double y in target) sum += y;
        if (Math.Abs(sum - 1.0) > SumTolerance)
            throw new ArgumentException($"targets row {row} must sum to 1 (one-hot) for the {Name} loss, but sums to {sum}.", "targets");
    }

    /// <inheritdoc/>
    public override bool IsCorrect(ReadOnlySpan<double> output, ReadOnlySpan<double> target) => ArgMax(output) == ArgMax(target);

    /// <inheritdoc/>
    public bool FusesWith(Activation activation) => activation is Softmax;

    /// <inheritdoc/>
    public double ValueFromLogits(ReadOnlySpan<double> logits, ReadOnlySpan<double> target)
    {
        double logSum = Numerics.LogSumExp(logits);
        double sum = 0;
        for (int j = 0; j < logits.Length; j++) sum += target[j] * (logSum - logits[j]);
        return sum;
    }

    /// <inheritdoc/>
    public void OutputError(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> delta)
    {
        // ∂/∂zᵢ of −Σⱼ yⱼ ln softmax(z)ⱼ is aᵢ·Σⱼyⱼ − yᵢ; the targets sum to 1.
        for (int j = 0; j < output.Length; j++) delta[j] = output[j] - target[j];
    }
}
