using Engine.Activations;

namespace Engine.Losses;

/// <summary>
/// Categorical cross-entropy with an integer class label per sample (a target row of width 1): L = −ln a_y, clamped at −100;
/// ∂L/∂aⱼ = −[j = y] / max(a_y, e^(−100)). After <see cref="Softmax"/> it fuses: L = logsumexp(z) − z_y and δᴸ = a − onehot(y).
/// </summary>
public sealed class SparseCategoricalCrossEntropy : Loss, IFusedLoss
{
    /// <inheritdoc/>
    public override string Name => "sparse-cce";

    /// <inheritdoc/>
    public override bool RequiresProbabilities => true;

    /// <inheritdoc/>
    public override string? Incompatibility(Activation output) =>
        output.OutputsSumToOne ? null
            : $"The {Name} loss needs outputs that form a distribution over the classes (softmax), but the output activation is {output.Name}; use softmax, or bce for independent outputs.";

    /// <inheritdoc/>
    public override bool HasAccuracy => true;

    /// <inheritdoc/>
    public override int TargetWidth(int outputWidth) => 1;

    /// <inheritdoc/>
    public override double Value(ReadOnlySpan<double> output, ReadOnlySpan<double> target) => -Numerics.ClampedLog(output[(int)target[0]]);

    /// <inheritdoc/>
    public override void Gradient(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> gradient)
    {
        int label = (int)target[0];
        gradient[..output.Length].Clear();
        gradient[label] = -1.0 / Math.Max(output[label], Numerics.MinProbability);
    }

    /// <inheritdoc/>
    public override void ValidateTarget(ReadOnlySpan<double> target, int outputWidth, int row)
    {
        double label = target[0];
        if (!(label >= 0 && label < outputWidth && label == Math.Floor(label)))
            throw new ArgumentException(
                $"targets[{row}] must be an integer class label in [0, {outputWidth - 1}] for the {Name} loss, but is {label}.", "targets");
    }

    /// <inheritdoc/>
    public override bool IsCorrect(ReadOnlySpan<double> output, ReadOnlySpan<double> target) => ArgMax(output) == (int)target[0];

    /// <inheritdoc/>
    public bool FusesWith(Activation activation) => activation is Softmax;

    /// <inheritdoc/>
    public double ValueFromLogits(ReadOnlySpan<double> logits, ReadOnlySpan<double> target) =>
        Numerics.LogSumExp(logits) - logits[(int)target[0]];

    /// <inheritdoc/>
    public void OutputError(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> delta)
    {
        output.CopyTo(delta);
        delta[(int)target[0]] -= 1.0;
    }
}
