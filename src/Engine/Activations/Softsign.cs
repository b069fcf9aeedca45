using System.Numerics;

namespace Engine.Activations;

/// <summary>
/// Softsign: a = z / (1 + |z|); a' = 1 / (1 + |z|)². Declares a kink at 0: a' is continuous there but a'' = −2·sign(z)/(1 + |z|)³ jumps,
/// so finite differences must not straddle it.
/// </summary>
public sealed class Softsign() : VectorizedActivation<Softsign.Function>(default)
{
    /// <inheritdoc/>
    public override string Name => "softsign";

    /// <inheritdoc/>
    public override IReadOnlyList<double> Kinks => [0.0];

    /// <summary>Flat tails: σ'(z) = 1/(1 + |z|)² peaks at 1 (z = 0); saturated where it is below a tenth of that, |z| &gt; 2.16.</summary>
    public override Saturation Saturation { get; } = Saturation.SlopeBelow(1.0);

    /// <summary>a = z / (1 + |z|); a' = 1 / (1 + |z|)².</summary>
    public readonly struct Function : IVectorFunction
    {
        /// <inheritdoc/>
        public double Value(double z) => z / (1.0 + Math.Abs(z));
        /// <inheritdoc/>
        public double Derivative(double z, double a) => 1.0 / ((1.0 + Math.Abs(z)) * (1.0 + Math.Abs(z)));
        /// <inheritdoc/>
        public Vector<double> Value(Vector<double> z) => z / (Vector<double>.One + Vector.Abs(z));
        /// <inheritdoc/>
        public Vector<double> Derivative(Vector<double> z, Vector<double> a)
        {
            var d = Vector<double>.One + Vector.Abs(z);
            return Vector<double>.One / (d * d);
        }
    }
}
