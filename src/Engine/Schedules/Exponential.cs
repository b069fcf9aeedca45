namespace Engine.Schedules;

/// <summary>Exponential decay, PyTorch's <c>ExponentialLR</c>: γₜ = γ₀·γᵗ.</summary>
public sealed class Exponential : Schedule
{
    /// <summary>γ = 0.95.</summary>
    public Exponential() : this(0.95) { }

    /// <summary>A chosen factor.</summary>
    /// <param name="gamma">γ &gt; 0, the factor per epoch.</param>
    public Exponential([Hyperparameter(0.5, 1.0)] double gamma) =>
        Gamma = gamma > 0 && double.IsFinite(gamma) ? gamma : throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must be positive and finite.");

    /// <summary>γ, PyTorch's <c>gamma</c>.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    public override string Name => "exponential";

    /// <inheritdoc/>
    public override double Rate(double initialRate, int epoch, int epochs) => initialRate * Math.Pow(Gamma, epoch);
}
