using System.Numerics;

namespace Engine.Activations;

/// <summary>SiLU (swish): a = z·s with s = sigmoid(z); a' = s·(1 + z·(1 − s)).</summary>
public sealed class Silu() : VectorizedActivation<Silu.Function>(default)
{
    /// <inheritdoc/>
    public override string Name => "silu";

    /// <summary>a = z·sigmoid(z); a' = s(1 + z(1 − s)).</summary>
    public readonly struct Function : IVectorFunction
    {
        /// <inheritdoc/>
        public double Value(double z) => z * default(Sigmoid.Function).Value(z);
        /// <inheritdoc/>
        public double Derivative(double z, double a)
        {
            double s = default(Sigmoid.Function).Value(z);
            return s * (1.0 + z * (1.0 - s));
        }
        /// <inheritdoc/>
        public Vector<double> Value(Vector<double> z) => z * default(Sigmoid.Function).Value(z);
        /// <inheritdoc/>
        public Vector<double> Derivative(Vector<double> z, Vector<double> a)
        {
            var s = default(Sigmoid.Function).Value(z);
            return s * (Vector<double>.One + z * (Vector<double>.One - s));
        }
    }
}
