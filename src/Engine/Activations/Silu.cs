using System.Numerics;

namespace Engine.Activations;

/// <summary>SiLU (swish): a = z·s with s = sigmoid(z); a' = s·(1 + z·(1 − s)).</summary>
public sealed class Silu : VectorizedActivation<Silu.Function>
{
    /// <inheritdoc/>
    public override string Name => "silu";

    /// <summary>a = z·sigmoid(z); a' = s(1 + z(1 − s)).</summary>
    public readonly struct Function : IVectorFunction
    {
        /// <inheritdoc/>
        public static double Value(double z) => z * Sigmoid.Function.Value(z);
        /// <inheritdoc/>
        public static double Derivative(double z, double a)
        {
            double s = Sigmoid.Function.Value(z);
            return s * (1.0 + z * (1.0 - s));
        }
        /// <inheritdoc/>
        public static Vector<double> Value(Vector<double> z) => z * Sigmoid.Function.Value(z);
        /// <inheritdoc/>
        public static Vector<double> Derivative(Vector<double> z, Vector<double> a)
        {
            var s = Sigmoid.Function.Value(z);
            return s * (Vector<double>.One + z * (Vector<double>.One - s));
        }
    }
}
