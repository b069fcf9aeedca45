namespace Engine.Losses;

/// <summary>Margin-1 hinge: L = (1/n)·Σⱼ max(0, 1 − yⱼaⱼ), labels ±1 (the support-vector loss); see <see cref="MarginLoss"/>.</summary>
public sealed class Hinge : MarginLoss
{
    /// <summary>The hinge with margin 1.</summary>
    public Hinge() : base(1.0) { }

    /// <inheritdoc/>
    public override string Name => "hinge";
}
