using Engine.Losses;

namespace Kit.CSharp;

/// <summary>Log-cosh: L = mean over outputs of ln cosh(aⱼ − yⱼ); ∂L/∂aⱼ = tanh(aⱼ − yⱼ) / n.</summary>
public sealed class LogCosh : Loss
{
    /// <inheritdoc/>
    public override string Name => "log-cosh";

    /// <inheritdoc/>
    public override double Value(ReadOnlySpan<double> output, ReadOnlySpan<double> target)
    {
        double sum = 0;
        for (int j = 0; j < output.Length; j++) sum += Math.Log(Math.Cosh(output[j] - target[j]));
        return sum / output.Length;
    }

    /// <inheritdoc/>
    public override void Gradient(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> gradient)
    {
        for (int j = 0; j < output.Length; j++) gradient[j] = Math.Tanh(output[j] - target[j]) / output.Length;
    }
}
