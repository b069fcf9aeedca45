namespace Engine.Schedules;

/// <summary>The same rate every epoch: γₜ = γ₀. The default, and the notes' fixed η.</summary>
public sealed class Constant : Schedule
{
    /// <inheritdoc/>
    public override string Name => "constant";

    /// <inheritdoc/>
    public override double Rate(double initialRate, int epoch, int epochs) => initialRate;
}
