using System.Numerics;

namespace Engine.Activations;

/// <summary>Heaviside step, the perceptron's activation (seed 002): a = 1 if z ≥ 0 else 0; a' = 0 everywhere (by convention at the kink z = 0).</summary>
public sealed class Step() : VectorizedActivation<Step.Function>(default)
{
    /// <inheritdoc/>
    public override string Name => "step";

    /// <inheritdoc/>
    public override IReadOnlyList<double> Kinks => [0.0];

    /// <summary>σ' = 0 everywhere: every unit is dead to gradient descent, which is why the perceptron learns by its own rule.</summary>
    public override Saturation Saturation { get; } = Saturation.Dead;

    /// <summary>a = [z ≥ 0]; a' = 0.</summary>
    public readonly struct Function : IVectorFunction
    {
        /// <inheritdoc/>
        public double Value(double z) => z >= 0 ? 1.0 : 0.0;
        /// <inheritdoc/>
        public double Derivative(double z, double a) => 0.0;
        /// <inheritdoc/>
        public Vector<double> Value(Vector<double> z) =>
            Vector.ConditionalSelect(Vector.GreaterThanOrEqual(z, Vector<double>.Zero), Vector<double>.One, Vector<double>.Zero);
        /// <inheritdoc/>
        public Vector<double> Derivative(Vector<double> z, Vector<double> a) => Vector<double>.Zero;
    }
}
