namespace Engine.Activations;

/// <summary>
/// GELU in its tanh form (PyTorch's approximate='tanh', GPT-2): a = ½·z·(1 + t) with t = tanh(u), u = √(2/π)·(z + 0.044715·z³);
/// a' = ½(1 + t) + ½·z·(1 − t²)·√(2/π)·(1 + 3·0.044715·z²). The tanh form because .NET has no erf.
/// </summary>
public sealed class Gelu() : ElementwiseActivation<Gelu.Function>(default)
{
    /// <inheritdoc/>
    public override string Name => "gelu";

    /// <summary>The tanh-form GELU and its exact derivative.</summary>
    public readonly struct Function : IScalarFunction
    {
        /// <summary>The cubic term's coefficient, 0.044715.</summary>
        public const double Cubic = 0.044715;

        /// <summary>√(2/π).</summary>
        public static readonly double Scale = Math.Sqrt(2.0 / Math.PI);

        /// <inheritdoc/>
        public double Value(double z) => 0.5 * z * (1.0 + Math.Tanh(Scale * (z + Cubic * z * z * z)));
        /// <inheritdoc/>
        public double Derivative(double z, double a)
        {
            double t = Math.Tanh(Scale * (z + Cubic * z * z * z));
            return 0.5 * (1.0 + t) + 0.5 * z * (1.0 - t * t) * Scale * (1.0 + 3.0 * Cubic * z * z);
        }
    }
}
