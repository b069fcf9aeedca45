using System.Numerics;

namespace Engine.Activations;

/// <summary>
/// Rectified linear unit: a = max(0, z); a' = 1 for z &gt; 0, else 0. At the kink, ReLU'(0) = 0, as PyTorch and
/// TensorFlow do and as seed 003's table requires (its sample B hits z = 0 exactly); seed 000's table says 1 for z ≥ 0.
/// </summary>
public sealed class Relu() : VectorizedActivation<Relu.Function>(default)
{
    /// <inheritdoc/>
    public override string Name => "relu";

    /// <inheritdoc/>
    public override IReadOnlyList<double> Kinks => [0.0];

    /// <summary>A unit is dead when z ≤ 0 on every sample of the batch: no error passes back through it, so its weights stop learning.</summary>
    public override Saturation Saturation { get; } = Saturation.Dead;

    /// <summary>a = max(0, z); a' = [z &gt; 0].</summary>
    public readonly struct Function : IVectorFunction
    {
        /// <inheritdoc/>
        public double Value(double z) => z > 0 ? z : 0.0;
        /// <inheritdoc/>
        public double Derivative(double z, double a) => z > 0 ? 1.0 : 0.0;
        /// <inheritdoc/>
        public Vector<double> Value(Vector<double> z) => Vector.Max(z, Vector<double>.Zero);
        /// <inheritdoc/>
        public Vector<double> Derivative(Vector<double> z, Vector<double> a) =>
            Vector.ConditionalSelect(Vector.GreaterThan(z, Vector<double>.Zero), Vector<double>.One, Vector<double>.Zero);
    }
}
