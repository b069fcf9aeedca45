using Engine.Activations;

namespace Engine.Networks;

/// <summary>
/// The notes' layer: a linear map z = f(x; W, b) followed by an activation a = σ(z). It keeps z, a and the error δ = ∂L/∂z of
/// every sample for inspection, as the notes write them.
/// </summary>
/// <param name="inputSize">Values per input sample.</param>
/// <param name="outputSize">Neurons (values per output sample).</param>
/// <param name="activation">σ, applied to z.</param>
public abstract class ActivatedLayer(int inputSize, int outputSize, Activation activation) : Layer(inputSize, outputSize)
{
    private double[] z = [], delta = [];

    /// <summary>σ.</summary>
    public Activation Activation { get; } = activation ?? throw new ArgumentNullException(nameof(activation));

    /// <summary>z of the last forward pass, <c>[BatchSize, OutputSize]</c>.</summary>
    public ReadOnlySpan<double> PreActivations => z.AsSpan(0, BatchSize * OutputSize);

    /// <summary>δ = ∂Lᵢ/∂zᵢ of the last backward pass, one row per sample (the notes' δˡ, not divided by the batch size).</summary>
    public ReadOnlySpan<double> Deltas => delta.AsSpan(0, BatchSize * OutputSize);

    /// <summary>δ for writing, by a fused loss's δᴸ = a − y, <c>[BatchSize, OutputSize]</c>.</summary>
    internal Span<double> DeltaBuffer => delta.AsSpan(0, BatchSize * OutputSize);

    /// <summary>From δ already in <see cref="DeltaBuffer"/>: the parameter gradients and ∂Lᵢ/∂(input)ᵢ (a fused loss's path).</summary>
    internal void BackwardFromDelta(ReadOnlySpan<double> input, Span<double> inputGradient) => BackpropagateDelta(input, inputGradient);

    /// <inheritdoc/>
    protected sealed override void Reserve(int batch)
    {
        int needed = batch * OutputSize;
        if (z.Length >= needed) return;
        z = new double[needed];
        delta = new double[needed];
    }

    /// <inheritdoc/>
    protected sealed override void ForwardCore(ReadOnlySpan<double> input, Span<double> output, int batch)
    {
        var zSpan = z.AsSpan(0, batch * OutputSize);
        ComputePreActivations(input, zSpan, batch);
        Activation.Forward(zSpan, output, OutputSize);
    }

    /// <summary>BP1/BP2 at this layer: δ = (∂a/∂z)ᵀ·∂L/∂a (the activation's vector-Jacobian product), then the linear map's backward.</summary>
    protected sealed override void BackwardCore(ReadOnlySpan<double> input, ReadOnlySpan<double> outputGradient, Span<double> inputGradient)
    {
        Activation.Backward(PreActivations, Outputs, outputGradient, DeltaBuffer, OutputSize);
        BackpropagateDelta(input, inputGradient);
    }

    /// <summary>z = the layer's linear map of <paramref name="input"/>.</summary>
    /// <param name="input">The batch.</param>
    /// <param name="z">Receives the pre-activations.</param>
    /// <param name="batch">Rows.</param>
    protected abstract void ComputePreActivations(ReadOnlySpan<double> input, Span<double> z, int batch);

    /// <summary>
    /// From δ (<see cref="Deltas"/>): the parameter gradients of the batch cost (BP3, BP4, averaged over the batch) and, unless
    /// <paramref name="inputGradient"/> is empty, ∂Lᵢ/∂(input)ᵢ per sample (the Wᵀδ of BP2).
    /// </summary>
    /// <param name="input">The input of the last forward pass.</param>
    /// <param name="inputGradient">Receives ∂L/∂input, <c>[BatchSize, InputSize]</c>, or is empty to skip it.</param>
    protected abstract void BackpropagateDelta(ReadOnlySpan<double> input, Span<double> inputGradient);
}
