namespace Engine.Schedules;

/// <summary>
/// Step decay, PyTorch's <c>StepLR</c>: the rate is multiplied by γ every <c>stepSize</c> epochs.
/// γₜ = γ₀·γ^⌊t / stepSize⌋.
/// </summary>
public sealed class StepDecay : Schedule
{
    /// <summary>γ = 0.1 every 10 epochs.</summary>
    public StepDecay() : this(10, 0.1) { }

    /// <summary>A chosen period and factor.</summary>
    /// <param name="stepSize">Epochs between decays, ≥ 1.</param>
    /// <param name="gamma">γ &gt; 0, the factor.</param>
    public StepDecay([Hyperparameter(1, 20)] int stepSize, [Hyperparameter(0.05, 1.0)] double gamma)
    {
        StepSize = stepSize >= 1 ? stepSize : throw new ArgumentOutOfRangeException(nameof(stepSize), stepSize, "stepSize must be at least 1.");
        Gamma = gamma > 0 && double.IsFinite(gamma) ? gamma : throw new ArgumentOutOfRangeException(nameof(gamma), gamma, "gamma must be positive and finite.");
    }

    /// <summary>PyTorch's <c>step_size</c>.</summary>
    public int StepSize { get; }

    /// <summary>γ, PyTorch's <c>gamma</c>.</summary>
    public double Gamma { get; }

    /// <inheritdoc/>
    public override string Name => "step";

    /// <inheritdoc/>
    public override double Rate(double initialRate, int epoch, int epochs) => initialRate * Math.Pow(Gamma, epoch / StepSize);
}
