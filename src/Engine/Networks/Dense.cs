using Engine.Activations;
using Engine.Kernels;

namespace Engine.Networks;

/// <summary>
/// A fully connected layer: z = a_prev·Wᵀ + b, a = σ(z). W is stored <c>[out, in]</c>: row j holds the weights into neuron j,
/// so <c>Weights[j * InputSize + k]</c> is the notes' w^l_jk (seed 003's <c>weights[j][k]</c>, the notes' W^m ∈ R^{N^m × N^(m−1)}).
/// Seed 002 writes the row-vector form a^[l] = σ(a^[l−1]·W^[l] + b^[l]) with W^[l] = Wᵀ.
/// </summary>
public sealed class Dense : ActivatedLayer
{
    private readonly Parameter weight, bias;

    /// <summary>A dense layer with zero parameters (set them, or call <see cref="Initialize"/>).</summary>
    /// <param name="inputSize">Neurons in the previous layer.</param>
    /// <param name="outputSize">Neurons in this layer.</param>
    /// <param name="activation">σ.</param>
    public Dense(int inputSize, int outputSize, Activation activation) : base(inputSize, outputSize, activation)
    {
        weight = new Parameter("weight", outputSize, inputSize);
        bias = new Parameter("bias", outputSize);
        Parameters = [weight, bias];
    }

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>W, <c>[out, in]</c> row-major: <c>Weights[j * InputSize + k]</c> = w_jk.</summary>
    public double[] Weights => weight.Values;

    /// <summary>b, one per neuron.</summary>
    public double[] Biases => bias.Values;

    /// <summary>∂C/∂W averaged over the batch (BP4), <c>[out, in]</c>.</summary>
    public double[] WeightGradient => weight.Gradient;

    /// <summary>∂C/∂b averaged over the batch (BP3).</summary>
    public double[] BiasGradient => bias.Gradient;

    /// <summary>Copies W (rows of <c>[out][in]</c>) and b into the layer.</summary>
    /// <param name="weights">One row per neuron, each of <see cref="Layer.InputSize"/> values.</param>
    /// <param name="biases">One value per neuron.</param>
    public void SetParameters(double[][] weights, double[] biases)
    {
        if (weights.Length != OutputSize)
            throw new ArgumentException($"weights must have {OutputSize} rows (one per neuron), but has {weights.Length}.", nameof(weights));
        if (biases.Length != OutputSize)
            throw new ArgumentException($"biases must have {OutputSize} values, but has {biases.Length}.", nameof(biases));
        for (int j = 0; j < OutputSize; j++)
        {
            if (weights[j].Length != InputSize)
                throw new ArgumentException($"weights[{j}] must have {InputSize} values (one per input), but has {weights[j].Length}.", nameof(weights));
            weights[j].CopyTo(Weights, j * InputSize);
        }
        biases.CopyTo(Biases, 0);
    }

    private bool productReady;

    /// <summary>
    /// Per-sample SGD with this layer first in the network: the update W ← W − η·δ·xᵀ of the sample just trained (whose weight
    /// gradient the backward pass left unwritten, <see cref="DeferWeightGradient"/>), and the product W·next of the next sample,
    /// in one pass over W (<see cref="RowProducts.UpdateThenForward"/>). The next <see cref="Layer.Forward"/>, which must be of
    /// <paramref name="next"/> alone, takes the product from there.
    /// </summary>
    /// <param name="input">The input of the last forward pass (one sample).</param>
    /// <param name="learningRate">η.</param>
    /// <param name="next">The next sample's input.</param>
    internal void UpdateThenForward(ReadOnlySpan<double> input, double learningRate, ReadOnlySpan<double> next)
    {
        RowProducts.UpdateThenForward(Deltas, input, learningRate, Weights, next, PreActivationBuffer);
        productReady = true;
    }

    /// <summary>Forgets a product <see cref="UpdateThenForward"/> made that no forward pass took.</summary>
    internal void DiscardReadyProduct() => productReady = false;

    /// <summary>∂C/∂W = δ·xᵀ of the last backward pass of one sample, which <see cref="DeferWeightGradient"/> left unwritten (BP4).</summary>
    /// <param name="input">That sample's input.</param>
    internal void WriteWeightGradient(ReadOnlySpan<double> input) => RowProducts.Outer(Deltas, input, WeightGradient, 1.0);

    /// <summary>Leaves ∂C/∂W unwritten in a backward pass of one sample: <see cref="UpdateThenForward"/> applies the update from δ and x.</summary>
    internal bool DeferWeightGradient { get; set; }

    /// <inheritdoc/>
    protected override void ComputePreActivations(ReadOnlySpan<double> input, Span<double> z, int batch)
    {
        if (productReady && batch == 1) productReady = false;
        else MatrixProducts.MultiplyTransposedB(input, Weights, z, batch, OutputSize, InputSize, threads: Threads);
        VectorOps.AddToRows(z, batch, Biases, Threads);
    }

    /// <summary>
    /// Every zⱼ of a sample sums a term wⱼₖ·xₖ of every input xₖ, and a non-finite xₖ makes that term ±∞ or NaN (0·∞ is NaN), which
    /// no later addition makes finite: finite z prove finite inputs, at the cost of reading <c>OutputSize</c> values per sample
    /// instead of <c>InputSize</c>. Non-finite z (bad inputs, or overflow, or non-finite parameters) prove nothing.
    /// </summary>
    internal override bool InputsWereFinite => VectorOps.IndexOfNonFinite(PreActivations) < 0;

    /// <inheritdoc/>
    protected override void BackpropagateDelta(ReadOnlySpan<double> input, Span<double> inputGradient)
    {
        int batch = BatchSize;
        double mean = 1.0 / batch;
        // BP4: ∂C/∂w_jk = mean over samples of δ_j·a_prev_k, i.e. (1/batch)·δᵀ·A; for one sample, the outer product δ·a_prevᵀ.
        if (batch == 1) { if (!DeferWeightGradient) RowProducts.Outer(Deltas, input, WeightGradient, mean); }
        else MatrixProducts.MultiplyTransposedA(Deltas, input, WeightGradient, OutputSize, InputSize, batch, mean, threads: Threads);
        // BP3: ∂C/∂b_j = mean over samples of δ_j.
        VectorOps.SumColumns(Deltas, batch, mean, BiasGradient, Threads);
        // BP2's Wᵀδ, per sample: ∂L/∂a_prev = δ·W.
        if (inputGradient.IsEmpty) return;
        if (batch == 1) RowProducts.RowTimesMatrix(Deltas, Weights, inputGradient);
        else MatrixProducts.Multiply(Deltas, Weights, inputGradient, batch, InputSize, OutputSize, threads: Threads);
    }

    /// <inheritdoc/>
    public override void Initialize(WeightInitialization scheme, Random random)
    {
        WeightInitializer.Fill(Weights, scheme, random, InputSize, OutputSize);
        Array.Clear(Biases);
    }
}
