namespace Engine.Losses;

/// <summary>Mean absolute error: L = (1/n)·Σⱼ|aⱼ − yⱼ|, ∂L/∂aⱼ = sign(aⱼ − yⱼ)/n, with sign(0) = 0 at the corner (as PyTorch).</summary>
public sealed class MeanAbsoluteError : Loss
{
    /// <inheritdoc/>
    public override string Name => "mae";

    /// <inheritdoc/>
    public override double Value(ReadOnlySpan<double> output, ReadOnlySpan<double> target)
    {
        double sum = 0;
        for (int j = 0; j < output.Length; j++) sum += Math.Abs(output[j] - target[j]);
        return sum / output.Length;
    }

    /// <inheritdoc/>
    public override void Gradient(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> gradient)
    {
        for (int j = 0; j < output.Length; j++) gradient[j] = Math.Sign(output[j] - target[j]) / (double)output.Length;
    }

    /// <inheritdoc/>
    public override double KinkOffset(double output, double target) => output - target;
}
