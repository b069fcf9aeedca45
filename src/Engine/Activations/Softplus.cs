namespace Engine.Activations;

/// <summary>Softplus: a = ln(1 + e^z); a' = sigmoid(z). Evaluated as max(z, 0) + ln(1 + e^(−|z|)), finite for every z.</summary>
public sealed class Softplus() : ElementwiseActivation<Softplus.Function>(default)
{
    /// <inheritdoc/>
    public override string Name => "softplus";

    /// <summary>a = max(z, 0) + log1p(e^(−|z|)); a' = sigmoid(z).</summary>
    public readonly struct Function : IScalarFunction
    {
        /// <inheritdoc/>
        public double Value(double z) => Math.Max(z, 0.0) + Numerics.Log1p(Math.Exp(-Math.Abs(z)));
        /// <inheritdoc/>
        public double Derivative(double z, double a) => default(Sigmoid.Function).Value(z);
    }
}
