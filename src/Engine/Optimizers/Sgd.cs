using System.Numerics;
using Engine.Kernels;

namespace Engine.Optimizers;

/// <summary>
/// Stochastic gradient descent with momentum, as PyTorch's <c>torch.optim.SGD</c>; with its defaults the notes' rule
/// w ← w − η·∂C/∂w (seed 000: wₙ = wₙ₋₁ − η·ΔE_w).
/// <code>
/// input: γ (lr), μ (momentum), τ (dampening), nesterov, λ (weight decay)
/// for t = 1, 2, …:
///     g ← ∇θ C(θ) (+ λθ)
///     if μ ≠ 0:
///         b ← g                     if t = 1
///         b ← μ·b + (1 − τ)·g       otherwise
///         g ← g + μ·b               if nesterov
///         g ← b                     otherwise
///     θ ← θ − γ·g
/// </code>
/// State: <c>momentum_buffer</c> (b) when μ ≠ 0.
/// </summary>
public sealed class Sgd : Optimizer
{
    private static readonly string[] NoState = [];
    private static readonly string[] MomentumState = ["momentum_buffer"];

    /// <summary>Plain SGD: no momentum, no decay.</summary>
    public Sgd() : this(0.0, 0.0, false, 0.0, false) { }

    /// <summary>SGD with chosen settings.</summary>
    /// <param name="momentum">μ ≥ 0.</param>
    /// <param name="dampening">τ ≥ 0, how much of the gradient is left out of the buffer (0: all of it enters).</param>
    /// <param name="nesterov">Nesterov momentum: step along g + μb instead of b; needs μ &gt; 0 and τ = 0.</param>
    /// <param name="weightDecay">λ ≥ 0 (coupled L2).</param>
    /// <param name="decayBiases">Decay biases too.</param>
    /// <exception cref="ArgumentException">A value is out of its domain, or Nesterov is asked for without momentum or with dampening.</exception>
    public Sgd([Hyperparameter(0.0, 0.99)] double momentum, [Hyperparameter(0.0, 0.5)] double dampening, [Hyperparameter] bool nesterov,
        [Hyperparameter(0.0, 0.1)] double weightDecay, [Hyperparameter] bool decayBiases) : base(weightDecay, decayBiases)
    {
        Momentum = NonNegative(momentum, nameof(momentum));
        Dampening = NonNegative(dampening, nameof(dampening));
        if (nesterov && (momentum <= 0 || dampening != 0))
            throw new ArgumentException($"nesterov requires a momentum > 0 and zero dampening, but momentum is {momentum} and dampening {dampening}.", nameof(nesterov));
        Nesterov = nesterov;
    }

    /// <summary>μ, PyTorch's <c>momentum</c>.</summary>
    public double Momentum { get; }

    /// <summary>τ, PyTorch's <c>dampening</c>.</summary>
    public double Dampening { get; }

    /// <summary>PyTorch's <c>nesterov</c>.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    public override string Name => "sgd";

    /// <inheritdoc/>
    public override IReadOnlyList<string> StateNames => Momentum == 0 ? NoState : MomentumState;

    /// <inheritdoc/>
    protected internal override void Update(Span<double> values, ReadOnlySpan<double> gradient, ParameterState state, double learningRate)
    {
        if (Momentum == 0) VectorOps.ScaledAdd(gradient, -learningRate, values);
        else ElementwiseRule.Apply(new MomentumRule(learningRate, Momentum, 1.0 - Dampening, Nesterov, state.Step == 1), values, gradient, state);
    }

    /// <summary>b ← g at t = 1, else μb + (1 − τ)g; θ ← θ − γ·(g + μb or b).</summary>
    private readonly struct MomentumRule(double learningRate, double momentum, double undamped, bool nesterov, bool first) : IElementwiseRule
    {
        public void Update(ref Vector<double> value, Vector<double> gradient, ref Vector<double> buffer, ref Vector<double> second, ref Vector<double> third)
        {
            var mu = new Vector<double>(momentum);
            buffer = first ? gradient : Vector.FusedMultiplyAdd(mu, buffer, new Vector<double>(undamped) * gradient);
            var direction = nesterov ? Vector.FusedMultiplyAdd(mu, buffer, gradient) : buffer;
            value = Vector.FusedMultiplyAdd(new Vector<double>(-learningRate), direction, value);
        }
    }
}
