namespace Engine.Losses;

/// <summary>
/// Squared error: L = c·Σⱼ(aⱼ − yⱼ)², ∂L/∂aⱼ = 2c·(aⱼ − yⱼ), with c = 1/n (default), ½ or 1 by <see cref="SquaredErrorScale"/>.
/// </summary>
public sealed class MeanSquaredError : Loss
{
    /// <summary>The mean over outputs, PyTorch's convention.</summary>
    public MeanSquaredError() : this(SquaredErrorScale.MeanOverOutputs) { }

    /// <summary>A chosen scale, e.g. <see cref="SquaredErrorScale.HalfSum"/> for seed 003.</summary>
    /// <param name="scale">How one sample's squares are reduced.</param>
    public MeanSquaredError([Hyperparameter] SquaredErrorScale scale) => Scale = Enum.IsDefined(scale) ? scale : throw new ArgumentOutOfRangeException(nameof(scale), scale, "scale must be a defined SquaredErrorScale.");

    /// <summary>How one sample's squares are reduced.</summary>
    public SquaredErrorScale Scale { get; }

    /// <inheritdoc/>
    public override string Name => "mse";

    private double Factor(int outputs) => Scale switch
    {
        SquaredErrorScale.MeanOverOutputs => 1.0 / outputs,
        SquaredErrorScale.HalfSum => 0.5,
        _ => 1.0,
    };

    /// <inheritdoc/>
    public override double Value(ReadOnlySpan<double> output, ReadOnlySpan<double> target)
    {
        double sum = 0;
        for (int j = 0; j < output.Length; j++) sum += (output[j] - target[j]) * (output[j] - target[j]);
        return Factor(output.Length) * sum;
    }

    /// <inheritdoc/>
    public override void Gradient(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> gradient)
    {
        double twice = 2.0 * Factor(output.Length);
        for (int j = 0; j < output.Length; j++) gradient[j] = twice * (output[j] - target[j]);
    }
}
