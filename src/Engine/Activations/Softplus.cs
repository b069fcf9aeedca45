namespace Engine.Activations;

/// <summary>Softplus: a = ln(1 + e^z); a' = sigmoid(z). Evaluated as max(z, 0) + ln(1 + e^(−|z|)), finite for every z.</summary>
public sealed class Softplus : ElementwiseActivation<Softplus.Function>
{
    /// <inheritdoc/>
    public override string Name => "softplus";

    /// <summary>a = max(z, 0) + log1p(e^(−|z|)); a' = sigmoid(z).</summary>
    public readonly struct Function : IScalarFunction
    {
        /// <inheritdoc/>
        public static double Value(double z) => Math.Max(z, 0.0) + Numerics.Log1p(Math.Exp(-Math.Abs(z)));
        /// <inheritdoc/>
        public static double Derivative(double z, double a) => Sigmoid.Function.Value(z);
    }
}
