namespace Engine.Optimizers;

/// <summary>
/// AdamW, as PyTorch's <c>torch.optim.AdamW</c>: Adam with decoupled weight decay (Loshchilov &amp; Hutter), which shrinks θ
/// directly instead of adding λθ to the gradient, so the decay is not rescaled by the second moment.
/// <code>
/// input: γ (lr), β₁, β₂ (betas), ε, λ (weight decay), amsgrad
/// initialize: m₀ ← 0, v₀ ← 0, vᵐᵃˣ₀ ← 0
/// for t = 1, 2, …:
///     g ← ∇θ C(θ)
///     θ ← θ − γλθ
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
/// With λ = 0 it is <see cref="Adam"/>. State as Adam's: <c>exp_avg</c>, <c>exp_avg_sq</c>, and <c>max_exp_avg_sq</c> with AMSGrad.
/// </summary>
public sealed class AdamW : Adam
{
    /// <summary>PyTorch's defaults: β₁ = 0.9, β₂ = 0.999, ε = 1e-8, λ = 0.01, no AMSGrad.</summary>
    public AdamW() : this(0.9, 0.999, 1e-8, 0.01, false, false) { }

    /// <summary>AdamW with chosen settings.</summary>
    /// <param name="beta1">β₁ in [0, 1).</param>
    /// <param name="beta2">β₂ in [0, 1).</param>
    /// <param name="eps">ε &gt; 0.</param>
    /// <param name="weightDecay">λ ≥ 0, decoupled: θ ← θ − γλθ before the Adam step.</param>
    /// <param name="amsgrad">AMSGrad.</param>
    /// <param name="decayBiases">Decay biases too.</param>
    public AdamW([Hyperparameter(0.0, 0.99)] double beta1, [Hyperparameter(0.0, 0.9999)] double beta2, [Hyperparameter(1e-10, 1e-6)] double eps,
        [Hyperparameter(0.0, 0.1)] double weightDecay, [Hyperparameter] bool amsgrad, [Hyperparameter] bool decayBiases)
        : base(beta1, beta2, eps, weightDecay, amsgrad, decayBiases) { }

    /// <inheritdoc/>
    public override string Name => "adamw";

    /// <inheritdoc/>
    public override bool DecouplesWeightDecay => true;
}
