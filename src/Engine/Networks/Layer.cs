using System.Text.Json.Nodes;
using Engine.Activations;

namespace Engine.Networks;

/// <summary>
/// A layer maps a batch of inputs <c>[batch, InputSize]</c> to pre-activations z <c>[batch, OutputSize]</c> and activations a = σ(z).
/// It keeps z, a and its error δ = ∂L/∂z for inspection; buffers grow to the largest batch seen and are then reused,
/// so a training step allocates nothing after warm-up.
/// </summary>
/// <remarks>The network and the trainer see only this abstraction; convolution and pooling layers derive from it too.</remarks>
public abstract class Layer
{
    private double[] z = [], a = [], delta = [];
    private int threads = 1;

    /// <summary>Creates a layer of the given widths.</summary>
    /// <param name="inputSize">Values per input sample.</param>
    /// <param name="outputSize">Values per output sample.</param>
    /// <param name="activation">σ, applied to z.</param>
    protected Layer(int inputSize, int outputSize, Activation activation)
    {
        if (inputSize <= 0) throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "inputSize must be positive.");
        if (outputSize <= 0) throw new ArgumentOutOfRangeException(nameof(outputSize), outputSize, "outputSize must be positive.");
        InputSize = inputSize;
        OutputSize = outputSize;
        Activation = activation ?? throw new ArgumentNullException(nameof(activation));
    }

    /// <summary>Values per input sample.</summary>
    public int InputSize { get; }

    /// <summary>Values per output sample.</summary>
    public int OutputSize { get; }

    /// <summary>σ.</summary>
    public Activation Activation { get; }

    /// <summary>The trainable tensors, with their gradients.</summary>
    public abstract IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>
    /// Threads this layer's matrix products may use, the caller's included (default 1; a <see cref="Network"/> sets it from
    /// <see cref="Network.Threads"/>). Results are bit-identical for every value.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int Threads
    {
        get => threads;
        set => threads = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(Threads), value, $"Threads must be at least 1, but is {value}.");
    }

    /// <summary>Rows in the last forward pass.</summary>
    public int BatchSize { get; private set; }

    /// <summary>z of the last forward pass, <c>[BatchSize, OutputSize]</c>.</summary>
    public ReadOnlySpan<double> PreActivations => z.AsSpan(0, BatchSize * OutputSize);

    /// <summary>a = σ(z) of the last forward pass, <c>[BatchSize, OutputSize]</c>.</summary>
    public ReadOnlySpan<double> Outputs => a.AsSpan(0, BatchSize * OutputSize);

    /// <summary>δ = ∂Lᵢ/∂zᵢ of the last backward pass, one row per sample (the notes' δˡ, not divided by the batch size).</summary>
    public ReadOnlySpan<double> Deltas => delta.AsSpan(0, BatchSize * OutputSize);

    /// <summary>Number of trainable values.</summary>
    public int ParameterCount => Parameters.Sum(p => p.Values.Length);

    /// <summary>Computes z and a = σ(z) for a batch.</summary>
    /// <param name="input">The batch, <c>[batch, InputSize]</c>.</param>
    /// <param name="batch">Rows in it.</param>
    /// <returns>a, <c>[batch, OutputSize]</c>.</returns>
    public ReadOnlySpan<double> Forward(ReadOnlySpan<double> input, int batch)
    {
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "batch must be positive.");
        if (input.Length != batch * InputSize)
            throw new ArgumentException(
                $"input must be [batch={batch}, {InputSize}] = {batch * InputSize} values, but has {input.Length}.", nameof(input));
        Reserve(batch);
        BatchSize = batch;
        var zSpan = z.AsSpan(0, batch * OutputSize);
        ComputePreActivations(input, zSpan, batch);
        Activation.Forward(zSpan, a, OutputSize);
        return Outputs;
    }

    /// <summary>BP1/BP2 at this layer: δ = (∂a/∂z)ᵀ·∂L/∂a, the activation's vector-Jacobian product.</summary>
    /// <param name="outputGradient">∂Lᵢ/∂aᵢ per sample, <c>[BatchSize, OutputSize]</c>.</param>
    public void SetOutputGradient(ReadOnlySpan<double> outputGradient) =>
        Activation.Backward(PreActivations, Outputs, outputGradient, delta, OutputSize);

    /// <summary>δ for writing, by a fused loss's δᴸ = a − y, <c>[BatchSize, OutputSize]</c>.</summary>
    internal Span<double> DeltaBuffer => delta.AsSpan(0, BatchSize * OutputSize);

    /// <summary>
    /// From δ: the parameter gradients of the batch cost (BP3, BP4, averaged over the batch) and, when
    /// <paramref name="inputGradient"/> is not empty, ∂Lᵢ/∂(input)ᵢ per sample (the Wᵀδ of BP2).
    /// </summary>
    /// <param name="input">The input of the last forward pass.</param>
    /// <param name="inputGradient">Receives ∂L/∂input, <c>[BatchSize, InputSize]</c>, or is empty to skip it.</param>
    public abstract void Backpropagate(ReadOnlySpan<double> input, Span<double> inputGradient);

    /// <summary>The layer's kind and settings, as stored in a model file's topology (parameters excluded).</summary>
    public abstract JsonObject ToSpec();

    /// <summary>Draws the initial parameters.</summary>
    /// <param name="scheme">The distribution.</param>
    /// <param name="random">The source, seeded by the caller.</param>
    public abstract void Initialize(WeightInitialization scheme, Random random);

    /// <summary>z = the layer's linear map of <paramref name="input"/>.</summary>
    /// <param name="input">The batch.</param>
    /// <param name="z">Receives the pre-activations.</param>
    /// <param name="batch">Rows.</param>
    protected abstract void ComputePreActivations(ReadOnlySpan<double> input, Span<double> z, int batch);

    private void Reserve(int batch)
    {
        int needed = batch * OutputSize;
        if (z.Length >= needed) return;
        z = new double[needed];
        a = new double[needed];
        delta = new double[needed];
    }
}
