using System.Numerics;

namespace Engine.Optimizers;

/// <summary>
/// Adam, as PyTorch's <c>torch.optim.Adam</c>: steps by bias-corrected moving averages of the gradient and of its square.
/// <code>
/// input: γ (lr), β₁, β₂ (betas), ε, λ (weight decay), amsgrad
/// initialize: m₀ ← 0, v₀ ← 0, vᵐᵃˣ₀ ← 0
/// for t = 1, 2, …:
///     g ← ∇θ C(θ) (+ λθ)
///     m ← β₁·m + (1 − β₁)·g
///     v ← β₂·v + (1 − β₂)·g²
///     m̂ ← m / (1 − β₁ᵗ)
///     if amsgrad:
///         vᵐᵃˣ ← max(vᵐᵃˣ, v)
///         v̂ ← vᵐᵃˣ / (1 − β₂ᵗ)
///     else:
///         v̂ ← v / (1 − β₂ᵗ)
///     θ ← θ − γ·m̂ / (√v̂ + ε)
/// </code>
/// The bias corrections 1 − β₁ᵗ and 1 − β₂ᵗ undo the averages' start at 0, so the first step moves each coordinate by
/// exactly γ·g/(|g| + ε). Computed as PyTorch does: θ ← θ − (γ/(1 − β₁ᵗ))·m / (√v/√(1 − β₂ᵗ) + ε).
/// State: <c>exp_avg</c> (m), <c>exp_avg_sq</c> (v), and <c>max_exp_avg_sq</c> (vᵐᵃˣ) with AMSGrad.
/// </summary>
public class Adam : Optimizer
{
    private static readonly string[] Moments = ["exp_avg", "exp_avg_sq"];
    private static readonly string[] MomentsAndMaximum = ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"];

    /// <summary>PyTorch's defaults: β₁ = 0.9, β₂ = 0.999, ε = 1e-8, no decay, no AMSGrad.</summary>
    public Adam() : this(0.9, 0.999, 1e-8, 0.0, false, false) { }

    /// <summary>Adam with chosen settings.</summary>
    /// <param name="beta1">β₁ in [0, 1), the first moment's smoothing.</param>
    /// <param name="beta2">β₂ in [0, 1), the second moment's smoothing.</param>
    /// <param name="eps">ε &gt; 0, added to the denominator.</param>
    /// <param name="weightDecay">λ ≥ 0 (coupled L2).</param>
    /// <param name="amsgrad">Divide by the largest second moment so far (AMSGrad).</param>
    /// <param name="decayBiases">Decay biases too.</param>
    public Adam([Hyperparameter(0.0, 0.99)] double beta1, [Hyperparameter(0.0, 0.9999)] double beta2, [Hyperparameter(1e-10, 1e-6)] double eps,
        [Hyperparameter(0.0, 0.1)] double weightDecay, [Hyperparameter] bool amsgrad, [Hyperparameter] bool decayBiases)
        : base(weightDecay, decayBiases)
    {
        Beta1 = Rate(beta1, nameof(beta1));
        Beta2 = Rate(beta2, nameof(beta2));
        Eps = Positive(eps, nameof(eps));
        Amsgrad = amsgrad;
    }

    /// <summary>β₁, PyTorch's <c>betas[0]</c>.</summary>
    public double Beta1 { get; }

    /// <summary>β₂, PyTorch's <c>betas[1]</c>.</summary>
    public double Beta2 { get; }

    /// <summary>ε, PyTorch's <c>eps</c>.</summary>
    public double Eps { get; }

    /// <summary>PyTorch's <c>amsgrad</c>.</summary>
    public bool Amsgrad { get; }

    /// <inheritdoc/>
    public override string Name => "adam";

    /// <inheritdoc/>
    public override IReadOnlyList<string> StateNames => Amsgrad ? MomentsAndMaximum : Moments;

    /// <inheritdoc/>
    protected internal sealed override void Update(Span<double> values, ReadOnlySpan<double> gradient, ParameterState state, double learningRate)
    {
        double t = state.Step;
        double correction1 = 1.0 - Math.Pow(Beta1, t), correction2 = 1.0 - Math.Pow(Beta2, t);
        ElementwiseRule.Apply(new Rule(learningRate / correction1, Math.Sqrt(correction2), Beta1, Beta2, Eps, Amsgrad), values, gradient, state);
    }

    /// <summary>m ← β₁m + (1 − β₁)g; v ← β₂v + (1 − β₂)g²; vᵐᵃˣ ← max(vᵐᵃˣ, v); θ ← θ − stepSize·m/(√v/√(1 − β₂ᵗ) + ε).</summary>
    private readonly struct Rule(double stepSize, double correction2Root, double beta1, double beta2, double eps, bool amsgrad) : IElementwiseRule
    {
        public void Update(ref Vector<double> value, Vector<double> gradient, ref Vector<double> average, ref Vector<double> squareAverage, ref Vector<double> maximum)
        {
            average = Vector.FusedMultiplyAdd(new Vector<double>(beta1), average, new Vector<double>(1.0 - beta1) * gradient);
            squareAverage = Vector.FusedMultiplyAdd(new Vector<double>(beta2), squareAverage, new Vector<double>(1.0 - beta2) * gradient * gradient);
            var second = squareAverage;
            if (amsgrad) second = maximum = Vector.Max(maximum, squareAverage);
            var denominator = Vector.SquareRoot(second) / new Vector<double>(correction2Root) + new Vector<double>(eps);
            value = Vector.FusedMultiplyAdd(new Vector<double>(-stepSize), average / denominator, value);
        }
    }
}
