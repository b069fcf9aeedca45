namespace Engine.Activations;

/// <summary>Hyperbolic tangent: a = tanh(z); a' = 1 − a². Scalar <see cref="Math.Tanh"/>: an exp-based vector form loses relative accuracy near 0.</summary>
public sealed class Tanh() : ElementwiseActivation<Tanh.Function>(default)
{
    /// <inheritdoc/>
    public override string Name => "tanh";

    /// <summary>Flat tails: σ'(z) = 1 − a² peaks at 1 (z = 0); saturated where it is below a tenth of that, |z| &gt; 1.82.</summary>
    public override Saturation Saturation { get; } = Saturation.SlopeBelow(1.0);

    /// <summary>a = tanh(z); a' = 1 − a².</summary>
    public readonly struct Function : IScalarFunction
    {
        /// <inheritdoc/>
        public double Value(double z) => Math.Tanh(z);
        /// <inheritdoc/>
        public double Derivative(double z, double a) => 1.0 - a * a;
    }
}
