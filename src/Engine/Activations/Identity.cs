using System.Numerics;

namespace Engine.Activations;

/// <summary>Identity, the notes' "linear" activation: a = z; a' = 1.</summary>
public sealed class Identity() : VectorizedActivation<Identity.Function>(default)
{
    /// <inheritdoc/>
    public override string Name => "identity";

    /// <summary>a = z; a' = 1.</summary>
    public readonly struct Function : IVectorFunction
    {
        /// <inheritdoc/>
        public double Value(double z) => z;
        /// <inheritdoc/>
        public double Derivative(double z, double a) => 1.0;
        /// <inheritdoc/>
        public Vector<double> Value(Vector<double> z) => z;
        /// <inheritdoc/>
        public Vector<double> Derivative(Vector<double> z, Vector<double> a) => Vector<double>.One;
    }
}
