using Engine.Networks;

namespace Engine.Optimizers;

/// <summary>
/// An optimizer's update rule, with PyTorch's semantics and hyperparameter names: how each parameter θ moves at step t given
/// the gradient g = ∂C/∂θ that backpropagation left in <see cref="Parameter.Gradient"/> and the learning rate γ of that step.
/// Immutable, so the <see cref="Registry{T}"/>'s instance (holding PyTorch's defaults) can be shared; the per-network state
/// (moments, accumulators, step counts) lives in the <see cref="OptimizerState"/> that <see cref="Bind(Network)"/> returns.
/// </summary>
/// <remarks>
/// <para>
/// Weight decay is applied here, in one place, for every optimizer. Coupled (L2, PyTorch's <c>weight_decay</c>):
/// g ← g + λθ before the rule, the gradient of C + (λ/2)‖θ‖². With λ = λ'/n this is Nielsen's network2 rule
/// w ← (1 − ηλ'/n)·w − η·∂C₀/∂w. Decoupled (<see cref="AdamW"/>): θ ← θ − γλθ before the rule, which then sees g alone.
/// </para>
/// <para>
/// Biases are not decayed unless <see cref="DecayBiases"/> is set: a bias only shifts a neuron's input, and penalising it
/// does not limit the network's sensitivity to its inputs (Nielsen's network2 decays weights only). PyTorch decays every
/// parameter it is given; set <c>decayBiases</c> for that. A parameter is a bias when its <see cref="Parameter.Name"/> is
/// <c>bias</c>. <see cref="Parameter.Frozen"/> parameters are skipped entirely: neither moved, nor decayed, nor counted in
/// their step count (as PyTorch skips a parameter without a gradient).
/// </para>
/// <para>
/// Adding an optimizer is one file: a public sealed subclass with a parameterless constructor holding the defaults and a
/// defining constructor whose parameters are marked <see cref="HyperparameterAttribute"/> (including <c>weightDecay</c> and
/// <c>decayBiases</c>, passed to this base). The registry finds it, model files store it, the verification suite draws its
/// hyperparameters and runs every optimizer property on it.
/// </para>
/// </remarks>
public abstract class Optimizer : INamed
{
    /// <summary>Validates and stores the decay settings every optimizer has.</summary>
    /// <param name="weightDecay">λ ≥ 0, finite.</param>
    /// <param name="decayBiases">Whether biases are decayed too.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="weightDecay"/> is negative or not finite.</exception>
    protected Optimizer(double weightDecay, bool decayBiases)
    {
        WeightDecay = NonNegative(weightDecay, nameof(weightDecay));
        DecayBiases = decayBiases;
    }

    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <summary>λ, PyTorch's <c>weight_decay</c>: the L2 penalty added to the gradient (decoupled for <see cref="AdamW"/>).</summary>
    public double WeightDecay { get; }

    /// <summary>Whether parameters named <c>bias</c> are decayed too (false: weights only, as Nielsen's network2).</summary>
    public bool DecayBiases { get; }

    /// <summary>PyTorch's default learning rate for this optimizer (a starting point, not a hyperparameter of the rule).</summary>
    public virtual double DefaultLearningRate => 1e-3;

    /// <summary>
    /// The buffers each parameter keeps, by PyTorch's state names (e.g. <c>exp_avg</c>, <c>exp_avg_sq</c>), at most three; they
    /// may depend on the hyperparameters (AMSGrad adds <c>max_exp_avg_sq</c>).
    /// </summary>
    public abstract IReadOnlyList<string> StateNames { get; }

    /// <summary>Whether the decay shrinks θ directly (θ ← θ − γλθ, decoupled) instead of being added to the gradient.</summary>
    public virtual bool DecouplesWeightDecay => false;

    /// <summary>The value state buffer <paramref name="index"/> starts at (0 unless the rule says otherwise, e.g. AdaGrad's initial accumulator).</summary>
    /// <param name="index">An index into <see cref="StateNames"/>.</param>
    protected internal virtual double InitialState(int index) => 0.0;

    /// <summary>
    /// The rule on one parameter: moves <paramref name="values"/> given <paramref name="gradient"/> (coupled decay already added)
    /// and updates its buffers. <paramref name="state"/>'s <see cref="ParameterState.Step"/> is this step's t, counted from 1.
    /// Must not allocate, and must treat each element on its own: a large parameter is updated in slices, on several threads at
    /// once (<see cref="OptimizerState.Threads"/>), each call given the same slice of θ, g and every buffer. The thread-count
    /// fact of the suite checks this for every registered optimizer.
    /// </summary>
    /// <param name="values">θ, updated in place.</param>
    /// <param name="gradient">g.</param>
    /// <param name="state">The parameter's buffers (one per <see cref="StateNames"/> entry) and step count.</param>
    /// <param name="learningRate">γ of this step.</param>
    protected internal abstract void Update(Span<double> values, ReadOnlySpan<double> gradient, ParameterState state, double learningRate);

    /// <summary>
    /// Allocates the state for every parameter of <paramref name="network"/>, named as model files name the tensors; its steps
    /// use the network's <see cref="Network.Threads"/>.
    /// </summary>
    /// <param name="network">The network to train.</param>
    public OptimizerState Bind(Network network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return new OptimizerState(this, network.Parameters, network.ParameterNames, network);
    }

    /// <summary>Allocates the state for <paramref name="parameters"/>; its steps run on one thread.</summary>
    /// <param name="parameters">The parameters to update.</param>
    /// <param name="names">One distinct name per parameter, prefixing its state's names in <see cref="OptimizerState.Save"/>.</param>
    public OptimizerState Bind(IReadOnlyList<Parameter> parameters, IReadOnlyList<string> names) => new(this, parameters, names, network: null);

    /// <summary>The name with every hyperparameter (<see cref="Hyperparameters.Summarize"/>).</summary>
    public override string ToString() => Hyperparameters.Summarize(this);

    /// <summary>Returns <paramref name="value"/> if it is finite and ≥ 0, else throws naming <paramref name="name"/>.</summary>
    protected static double NonNegative(double value, string name) =>
        value >= 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be non-negative and finite.");

    /// <summary>Returns <paramref name="value"/> if it lies in [0, 1), else throws naming <paramref name="name"/> (a decay rate such as β).</summary>
    protected static double Rate(double value, string name) =>
        value >= 0 && value < 1 ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must lie in [0, 1).");

    /// <summary>Returns <paramref name="value"/> if it is finite and &gt; 0, else throws naming <paramref name="name"/>.</summary>
    protected static double Positive(double value, string name) =>
        value > 0 && double.IsFinite(value) ? value : throw new ArgumentOutOfRangeException(name, value, $"{name} must be positive and finite.");
}
