using Engine.Activations;

namespace Kit.CSharp;

/// <summary>The inverse square root unit: a = z / √(1 + αz²), a' = (1 / √(1 + αz²))³.</summary>
public sealed class Isru(double alpha) : ElementwiseActivation<Isru.Function>(new Function(alpha))
{
    /// <summary>α = 1.</summary>
    public Isru() : this(1.0) { }

    /// <inheritdoc/>
    public override string Name => "isru";

    /// <summary>The scalar rule.</summary>
    /// <param name="alpha">α.</param>
    public readonly struct Function(double alpha) : IScalarFunction
    {
        /// <inheritdoc/>
        public double Value(double z) => z / Math.Sqrt(1 + alpha * z * z);

        /// <inheritdoc/>
        public double Derivative(double z, double a)
        {
            double r = 1 / Math.Sqrt(1 + alpha * z * z);
            return r * r * r;
        }
    }
}
