namespace Engine.Losses;

/// <summary>
/// The margin losses on labels y ∈ {−1, +1}: L = (1/n)·Σⱼ max(0, m − yⱼaⱼ), ∂L/∂aⱼ = −yⱼ/n where yⱼaⱼ &lt; m and 0 elsewhere
/// (at the corner yⱼaⱼ = m: 0, the notes' "no update"). A sample is correct when every sign(aⱼ) (with sign(0) = +1) equals yⱼ.
/// </summary>
public abstract class MarginLoss : Loss
{
    /// <summary>A loss with margin <paramref name="margin"/>.</summary>
    /// <param name="margin">m: 0 for the perceptron loss, 1 for the hinge.</param>
    protected MarginLoss(double margin) => Margin = margin;

    /// <summary>The margin m.</summary>
    public double Margin { get; }

    /// <inheritdoc/>
    public override bool HasAccuracy => true;

    /// <inheritdoc/>
    protected override double No => -1.0;

    /// <inheritdoc/>
    public override double Value(ReadOnlySpan<double> output, ReadOnlySpan<double> target)
    {
        double sum = 0;
        for (int j = 0; j < output.Length; j++) sum += Math.Max(0.0, Margin - target[j] * output[j]);
        return sum / output.Length;
    }

    /// <inheritdoc/>
    public override void Gradient(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> gradient)
    {
        for (int j = 0; j < output.Length; j++) gradient[j] = target[j] * output[j] < Margin ? -target[j] / output.Length : 0.0;
    }

    /// <inheritdoc/>
    public override double KinkOffset(double output, double target) => target * output - Margin;

    /// <inheritdoc/>
    public override void ValidateTarget(ReadOnlySpan<double> target, int outputWidth, int row)
    {
        for (int j = 0; j < target.Length; j++)
            if (target[j] is not (1.0 or -1.0))
                throw new ArgumentException($"targets[{row}, {j}] must be −1 or +1 for the {Name} loss, but is {target[j]}.", "targets");
    }

    /// <inheritdoc/>
    public override bool IsCorrect(ReadOnlySpan<double> output, ReadOnlySpan<double> target)
    {
        for (int j = 0; j < output.Length; j++) if ((output[j] >= 0 ? 1.0 : -1.0) != target[j]) return false;
        return true;
    }
}
