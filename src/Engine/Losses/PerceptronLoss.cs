namespace Engine.Losses;

/// <summary>The notes' perceptron loss (seed 002): L = (1/n)·Σⱼ max(0, −yⱼaⱼ), labels ±1, ∂L/∂a = −y where ya &lt; 0; see <see cref="MarginLoss"/>.</summary>
public sealed class PerceptronLoss : MarginLoss
{
    /// <summary>The hinge with margin 0.</summary>
    public PerceptronLoss() : base(0.0) { }

    /// <inheritdoc/>
    public override string Name => "perceptron";
}
