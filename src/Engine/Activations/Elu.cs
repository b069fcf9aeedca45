using System.Numerics;

namespace Engine.Activations;

/// <summary>
/// Exponential linear unit with scale α (PyTorch's <c>alpha</c>, default 1): a = z for z &gt; 0, else α(e^z − 1);
/// a' = 1 for z &gt; 0, else a + α (= αe^z). Declares a kink at 0: for α = 1 the first derivative is continuous there but the
/// second is not (for other α the first jumps too), so finite differences must not straddle it.
/// </summary>
public sealed class Elu : VectorizedActivation<Elu.Function>
{
    /// <summary>α = 1.</summary>
    public Elu() : this(1.0) { }

    /// <summary>A chosen scale.</summary>
    /// <param name="alpha">α, positive and finite.</param>
    public Elu([Hyperparameter(0.1, 3.0)] double alpha) : base(new Function(Validate(alpha))) => Alpha = alpha;

    /// <summary>α, the value a approaches as z → −∞ is −α.</summary>
    public double Alpha { get; }

    /// <inheritdoc/>
    public override string Name => "elu";

    /// <inheritdoc/>
    public override IReadOnlyList<double> Kinks => [0.0];

    private static double Validate(double alpha) =>
        alpha > 0 && double.IsFinite(alpha) ? alpha : throw new ArgumentOutOfRangeException("alpha", alpha, "alpha must be positive and finite.");

    /// <summary>a = z or α(e^z − 1); a' = 1 or a + α.</summary>
    /// <param name="alpha">α.</param>
    public readonly struct Function(double alpha) : IVectorFunction
    {
        /// <inheritdoc/>
        public double Value(double z) => z > 0 ? z : alpha * (Math.Exp(z) - 1.0);
        /// <inheritdoc/>
        public double Derivative(double z, double a) => z > 0 ? 1.0 : a + alpha;
        /// <inheritdoc/>
        public Vector<double> Value(Vector<double> z) =>
            Vector.ConditionalSelect(Vector.GreaterThan(z, Vector<double>.Zero), z,
                alpha * (Vector.Exp(Vector.Min(z, Vector<double>.Zero)) - Vector<double>.One));
        /// <inheritdoc/>
        public Vector<double> Derivative(Vector<double> z, Vector<double> a) =>
            Vector.ConditionalSelect(Vector.GreaterThan(z, Vector<double>.Zero), Vector<double>.One, a + new Vector<double>(alpha));
    }
}
