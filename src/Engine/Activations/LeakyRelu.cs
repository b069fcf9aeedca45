using System.Numerics;

namespace Engine.Activations;

/// <summary>
/// Leaky ReLU with negative slope s (PyTorch's <c>negative_slope</c>, default 0.01): a = z for z &gt; 0, else s·z;
/// a' = 1 for z &gt; 0, else s (the left slope at the kink, as ReLU).
/// </summary>
public sealed class LeakyRelu : VectorizedActivation<LeakyRelu.Function>
{
    /// <summary>The default slope for z ≤ 0, PyTorch's.</summary>
    public const double DefaultNegativeSlope = 0.01;

    /// <summary>Slope 0.01.</summary>
    public LeakyRelu() : this(DefaultNegativeSlope) { }

    /// <summary>A chosen slope.</summary>
    /// <param name="negativeSlope">s, finite and non-negative (0 is ReLU, 1 the identity).</param>
    public LeakyRelu([Hyperparameter(0.0, 0.9)] double negativeSlope) : base(new Function(Validate(negativeSlope))) =>
        NegativeSlope = negativeSlope;

    /// <summary>The slope s for z ≤ 0.</summary>
    public double NegativeSlope { get; }

    /// <inheritdoc/>
    public override string Name => "leaky-relu";

    /// <inheritdoc/>
    public override IReadOnlyList<double> Kinks => [0.0];

    /// <summary>A unit is dead when its slope is 0 on every sample of the batch, which only a slope s = 0 (plain ReLU) allows.</summary>
    public override Saturation Saturation { get; } = Saturation.Dead;

    private static double Validate(double slope) =>
        slope >= 0 && double.IsFinite(slope) ? slope
            : throw new ArgumentOutOfRangeException("negativeSlope", slope, "negativeSlope must be finite and non-negative.");

    /// <summary>a = z or s·z; a' = 1 or s.</summary>
    /// <param name="slope">s.</param>
    public readonly struct Function(double slope) : IVectorFunction
    {
        /// <inheritdoc/>
        public double Value(double z) => z > 0 ? z : slope * z;
        /// <inheritdoc/>
        public double Derivative(double z, double a) => z > 0 ? 1.0 : slope;
        /// <inheritdoc/>
        public Vector<double> Value(Vector<double> z) =>
            Vector.ConditionalSelect(Vector.GreaterThan(z, Vector<double>.Zero), z, z * slope);
        /// <inheritdoc/>
        public Vector<double> Derivative(Vector<double> z, Vector<double> a) =>
            Vector.ConditionalSelect(Vector.GreaterThan(z, Vector<double>.Zero), Vector<double>.One, new Vector<double>(slope));
    }
}
