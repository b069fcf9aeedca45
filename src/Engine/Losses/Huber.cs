namespace Engine.Losses;

/// <summary>
/// Huber loss with threshold δ (default 1, as PyTorch), the mean over outputs of ½r² for |r| ≤ δ and δ(|r| − ½δ) beyond,
/// r = aⱼ − yⱼ; ∂L/∂aⱼ = clamp(r, −δ, δ)/n. Its second derivative jumps at |r| = δ, declared as kinks.
/// </summary>
public sealed class Huber : Loss
{
    /// <summary>δ = 1.</summary>
    public Huber() : this(1.0) { }

    /// <summary>A chosen threshold.</summary>
    /// <param name="delta">δ &gt; 0, where the quadratic turns linear.</param>
    public Huber([Hyperparameter(0.1, 5.0)] double delta)
    {
        if (!(delta > 0) || !double.IsFinite(delta))
            throw new ArgumentOutOfRangeException(nameof(delta), delta, "delta must be positive and finite.");
        Delta = delta;
    }

    /// <summary>Where the quadratic turns linear.</summary>
    public double Delta { get; }

    /// <inheritdoc/>
    public override string Name => "huber";

    /// <inheritdoc/>
    public override double Value(ReadOnlySpan<double> output, ReadOnlySpan<double> target)
    {
        double sum = 0;
        for (int j = 0; j < output.Length; j++)
        {
            double r = Math.Abs(output[j] - target[j]);
            sum += r <= Delta ? 0.5 * r * r : Delta * (r - 0.5 * Delta);
        }
        return sum / output.Length;
    }

    /// <inheritdoc/>
    public override void Gradient(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> gradient)
    {
        for (int j = 0; j < output.Length; j++) gradient[j] = Math.Clamp(output[j] - target[j], -Delta, Delta) / output.Length;
    }

    /// <inheritdoc/>
    public override double KinkOffset(double output, double target) => Math.Abs(output - target) - Delta;
}
