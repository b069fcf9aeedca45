using System.Numerics;

namespace Engine.Activations;

/// <summary>Leaky ReLU with slope 0.01 (PyTorch's default): a = z for z &gt; 0, else 0.01·z; a' = 1 for z &gt; 0, else 0.01 (the left slope at the kink, as ReLU).</summary>
public sealed class LeakyRelu : VectorizedActivation<LeakyRelu.Function>
{
    /// <summary>The slope for z ≤ 0.</summary>
    public const double NegativeSlope = 0.01;

    /// <inheritdoc/>
    public override string Name => "leaky-relu";

    /// <inheritdoc/>
    public override IReadOnlyList<double> Kinks => [0.0];

    /// <summary>a = z or 0.01·z; a' = 1 or 0.01.</summary>
    public readonly struct Function : IVectorFunction
    {
        /// <inheritdoc/>
        public static double Value(double z) => z > 0 ? z : NegativeSlope * z;
        /// <inheritdoc/>
        public static double Derivative(double z, double a) => z > 0 ? 1.0 : NegativeSlope;
        /// <inheritdoc/>
        public static Vector<double> Value(Vector<double> z) =>
            Vector.ConditionalSelect(Vector.GreaterThan(z, Vector<double>.Zero), z, z * NegativeSlope);
        /// <inheritdoc/>
        public static Vector<double> Derivative(Vector<double> z, Vector<double> a) =>
            Vector.ConditionalSelect(Vector.GreaterThan(z, Vector<double>.Zero), Vector<double>.One, new Vector<double>(NegativeSlope));
    }
}
