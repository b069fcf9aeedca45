using System.Numerics;

namespace Engine.Optimizers;

/// <summary>
/// RMSProp, as PyTorch's <c>torch.optim.RMSprop</c>: each coordinate's step is divided by the root of a moving average of its
/// squared gradients (centered: of their variance).
/// <code>
/// input: γ (lr), α (alpha), ε, μ (momentum), centered, λ (weight decay)
/// initialize: v₀ ← 0, b₀ ← 0, gᵃᵛᵉ₀ ← 0
/// for t = 1, 2, …:
///     g ← ∇θ C(θ) (+ λθ)
///     v ← α·v + (1 − α)·g²
///     ṽ ← v
///     if centered:
///         gᵃᵛᵉ ← α·gᵃᵛᵉ + (1 − α)·g
///         ṽ ← ṽ − (gᵃᵛᵉ)²
///     if μ &gt; 0:
///         b ← μ·b + g / (√ṽ + ε)
///         θ ← θ − γ·b
///     else:
///         θ ← θ − γ·g / (√ṽ + ε)
/// </code>
/// State: <c>square_avg</c> (v), then <c>momentum_buffer</c> (b) when μ &gt; 0, then <c>grad_avg</c> (gᵃᵛᵉ) when centered.
/// The centered ṽ = v − (gᵃᵛᵉ)² is a variance, ≥ 0 in exact arithmetic; where rounding makes it negative it is taken as 0.
/// </summary>
public sealed class RmsProp : Optimizer
{
    private readonly string[] stateNames;

    /// <summary>PyTorch's defaults: α = 0.99, ε = 1e-8, no momentum, not centered, no decay.</summary>
    public RmsProp() : this(0.99, 1e-8, 0.0, false, 0.0, false) { }

    /// <summary>RMSProp with chosen settings.</summary>
    /// <param name="alpha">α in [0, 1), the smoothing constant of the averages.</param>
    /// <param name="eps">ε &gt; 0, added to the denominator.</param>
    /// <param name="momentum">μ ≥ 0.</param>
    /// <param name="centered">Normalise by the estimated variance instead of the second moment.</param>
    /// <param name="weightDecay">λ ≥ 0 (coupled L2).</param>
    /// <param name="decayBiases">Decay biases too.</param>
    public RmsProp([Hyperparameter(0.8, 0.999)] double alpha, [Hyperparameter(1e-10, 1e-6)] double eps, [Hyperparameter(0.0, 0.95)] double momentum,
        [Hyperparameter] bool centered, [Hyperparameter(0.0, 0.1)] double weightDecay, [Hyperparameter] bool decayBiases)
        : base(weightDecay, decayBiases)
    {
        Alpha = Rate(alpha, nameof(alpha));
        Eps = Positive(eps, nameof(eps));
        Momentum = NonNegative(momentum, nameof(momentum));
        Centered = centered;
        stateNames = ["square_avg", .. momentum > 0 ? ["momentum_buffer"] : Array.Empty<string>(), .. centered ? ["grad_avg"] : Array.Empty<string>()];
    }

    /// <summary>α, PyTorch's <c>alpha</c>.</summary>
    public double Alpha { get; }

    /// <summary>ε, PyTorch's <c>eps</c>.</summary>
    public double Eps { get; }

    /// <summary>μ, PyTorch's <c>momentum</c>.</summary>
    public double Momentum { get; }

    /// <summary>PyTorch's <c>centered</c>.</summary>
    public bool Centered { get; }

    /// <inheritdoc/>
    public override string Name => "rmsprop";

    /// <inheritdoc/>
    public override double DefaultLearningRate => 1e-2;

    /// <inheritdoc/>
    public override IReadOnlyList<string> StateNames => stateNames;

    /// <inheritdoc/>
    protected internal override void Update(Span<double> values, ReadOnlySpan<double> gradient, ParameterState state, double learningRate) =>
        ElementwiseRule.Apply(new Rule(learningRate, Alpha, Eps, Momentum, Centered), values, gradient, state);

    /// <summary>One RMSProp step; the buffers in order v, then b if μ &gt; 0, then gᵃᵛᵉ if centered.</summary>
    private readonly struct Rule(double learningRate, double alpha, double eps, double momentum, bool centered) : IElementwiseRule
    {
        public void Update(ref Vector<double> value, Vector<double> gradient, ref Vector<double> squareAverage, ref Vector<double> second, ref Vector<double> third)
        {
            var a = new Vector<double>(alpha);
            var complement = new Vector<double>(1.0 - alpha);
            squareAverage = Vector.FusedMultiplyAdd(a, squareAverage, complement * gradient * gradient);
            var variance = squareAverage;
            if (centered)
            {
                ref var gradientAverage = ref momentum > 0 ? ref third : ref second;
                gradientAverage = Vector.FusedMultiplyAdd(a, gradientAverage, complement * gradient);
                variance = Vector.Max(Vector.FusedMultiplyAdd(-gradientAverage, gradientAverage, variance), Vector<double>.Zero);
            }
            var step = gradient / (Vector.SquareRoot(variance) + new Vector<double>(eps));
            if (momentum > 0)
            {
                second = Vector.FusedMultiplyAdd(new Vector<double>(momentum), second, step);
                step = second;
            }
            value = Vector.FusedMultiplyAdd(new Vector<double>(-learningRate), step, value);
        }
    }
}
