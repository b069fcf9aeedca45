using System.Numerics;

namespace Engine.Activations;

/// <summary>
/// Exponential linear unit with α = 1: a = z for z &gt; 0, else e^z − 1; a' = 1 for z &gt; 0, else a + 1 (= e^z).
/// Declares a kink at 0: the first derivative is continuous there but the second is not, so finite differences must not straddle it.
/// </summary>
public sealed class Elu : VectorizedActivation<Elu.Function>
{
    /// <inheritdoc/>
    public override string Name => "elu";

    /// <inheritdoc/>
    public override IReadOnlyList<double> Kinks => [0.0];

    /// <summary>a = z or e^z − 1; a' = 1 or a + 1.</summary>
    public readonly struct Function : IVectorFunction
    {
        /// <inheritdoc/>
        public static double Value(double z) => z > 0 ? z : Math.Exp(z) - 1.0;
        /// <inheritdoc/>
        public static double Derivative(double z, double a) => z > 0 ? 1.0 : a + 1.0;
        /// <inheritdoc/>
        public static Vector<double> Value(Vector<double> z) =>
            Vector.ConditionalSelect(Vector.GreaterThan(z, Vector<double>.Zero), z, Vector.Exp(Vector.Min(z, Vector<double>.Zero)) - Vector<double>.One);
        /// <inheritdoc/>
        public static Vector<double> Derivative(Vector<double> z, Vector<double> a) =>
            Vector.ConditionalSelect(Vector.GreaterThan(z, Vector<double>.Zero), Vector<double>.One, a + Vector<double>.One);
    }
}
