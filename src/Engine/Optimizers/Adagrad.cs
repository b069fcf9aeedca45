using System.Numerics;

namespace Engine.Optimizers;

/// <summary>
/// AdaGrad, as PyTorch's <c>torch.optim.Adagrad</c>: each coordinate's step is divided by the root of the sum of its squared gradients.
/// <code>
/// input: γ (lr), η (lr decay), τ (initial accumulator value), ε, λ (weight decay)
/// initialize: s₀ ← τ
/// for t = 1, 2, …:
///     g ← ∇θ C(θ) (+ λθ)
///     γ̃ ← γ / (1 + (t − 1)·η)
///     s ← s + g²
///     θ ← θ − γ̃·g / (√s + ε)
/// </code>
/// State: <c>sum</c> (s).
/// </summary>
public sealed class Adagrad : Optimizer
{
    private static readonly string[] State = ["sum"];

    /// <summary>PyTorch's defaults: η = 0, τ = 0, ε = 1e-10, no decay.</summary>
    public Adagrad() : this(0.0, 0.0, 1e-10, 0.0, false) { }

    /// <summary>AdaGrad with chosen settings.</summary>
    /// <param name="lrDecay">η ≥ 0: the rate of step t is γ/(1 + (t − 1)η).</param>
    /// <param name="initialAccumulatorValue">τ ≥ 0, where every sum starts.</param>
    /// <param name="eps">ε &gt; 0, added to the denominator.</param>
    /// <param name="weightDecay">λ ≥ 0 (coupled L2).</param>
    /// <param name="decayBiases">Decay biases too.</param>
    public Adagrad([Hyperparameter(0.0, 0.5)] double lrDecay, [Hyperparameter(0.0, 1.0)] double initialAccumulatorValue,
        [Hyperparameter(1e-10, 1e-6)] double eps, [Hyperparameter(0.0, 0.1)] double weightDecay, [Hyperparameter] bool decayBiases)
        : base(weightDecay, decayBiases)
    {
        LrDecay = NonNegative(lrDecay, nameof(lrDecay));
        InitialAccumulatorValue = NonNegative(initialAccumulatorValue, nameof(initialAccumulatorValue));
        Eps = Positive(eps, nameof(eps));
    }

    /// <summary>η, PyTorch's <c>lr_decay</c>.</summary>
    public double LrDecay { get; }

    /// <summary>τ, PyTorch's <c>initial_accumulator_value</c>.</summary>
    public double InitialAccumulatorValue { get; }

    /// <summary>ε, PyTorch's <c>eps</c>.</summary>
    public double Eps { get; }

    /// <inheritdoc/>
    public override string Name => "adagrad";

    /// <inheritdoc/>
    public override double DefaultLearningRate => 1e-2;

    /// <inheritdoc/>
    public override IReadOnlyList<string> StateNames => State;

    /// <inheritdoc/>
    protected internal override double InitialState(int index) => InitialAccumulatorValue;

    /// <inheritdoc/>
    protected internal override void Update(Span<double> values, ReadOnlySpan<double> gradient, ParameterState state, double learningRate) =>
        ElementwiseRule.Apply(new Rule(learningRate / (1.0 + (state.Step - 1) * LrDecay), Eps), values, gradient, state);

    /// <summary>s ← s + g²; θ ← θ − γ̃·g/(√s + ε).</summary>
    private readonly struct Rule(double rate, double eps) : IElementwiseRule
    {
        public void Update(ref Vector<double> value, Vector<double> gradient, ref Vector<double> sum, ref Vector<double> second, ref Vector<double> third)
        {
            sum = Vector.FusedMultiplyAdd(gradient, gradient, sum);
            value -= new Vector<double>(rate) * gradient / (Vector.SquareRoot(sum) + new Vector<double>(eps));
        }
    }
}
