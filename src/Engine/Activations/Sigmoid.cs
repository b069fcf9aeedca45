using System.Numerics;

namespace Engine.Activations;

/// <summary>Logistic sigmoid: a = 1 / (1 + e^(−z)); a' = a(1 − a). Finite and correct for |z| up to 1e4 and beyond.</summary>
public sealed class Sigmoid() : VectorizedActivation<Sigmoid.Function>(default)
{
    /// <inheritdoc/>
    public override string Name => "sigmoid";

    /// <inheritdoc/>
    public override bool OutputsAreProbabilities => true;

    /// <summary>Flat tails: σ'(z) = a(1 − a) peaks at ¼ (z = 0); saturated where it is below a tenth of that, |z| &gt; 3.64.</summary>
    public override Saturation Saturation { get; } = Saturation.SlopeBelow(0.25);

    /// <summary>
    /// Evaluated as 1/(1 + e) for z ≥ 0 and e/(1 + e) for z &lt; 0, with e = e^(−|z|) ≤ 1, so no exponential overflows
    /// and the small tail keeps its relative accuracy.
    /// </summary>
    public readonly struct Function : IVectorFunction
    {
        /// <inheritdoc/>
        public double Value(double z)
        {
            double e = Math.Exp(-Math.Abs(z));
            double r = 1.0 / (1.0 + e);
            return z >= 0 ? r : e * r;
        }
        /// <inheritdoc/>
        public double Derivative(double z, double a) => a * (1.0 - a);
        /// <inheritdoc/>
        public Vector<double> Value(Vector<double> z)
        {
            var e = Vector.Exp(-Vector.Abs(z));
            var r = Vector<double>.One / (Vector<double>.One + e);
            return Vector.ConditionalSelect(Vector.GreaterThanOrEqual(z, Vector<double>.Zero), r, e * r);
        }
        /// <inheritdoc/>
        public Vector<double> Derivative(Vector<double> z, Vector<double> a) => a * (Vector<double>.One - a);
    }
}
