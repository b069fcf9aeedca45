namespace Engine.Networks;

/// <summary>
/// A step of a network: it maps a batch of inputs <c>[batch, InputSize]</c> to outputs <c>[batch, OutputSize]</c> and, backwards,
/// the gradient of the loss with respect to its outputs to the gradients of its parameters and of its inputs. Buffers grow to the
/// largest batch seen and are then reused, so a training step allocates nothing after warm-up.
/// </summary>
/// <remarks>
/// Layers with a linear map and an activation (dense, convolution) derive from <see cref="ActivatedLayer"/>, which keeps the
/// notes' z, a and δ; pooling and flatten derive from this class directly. The network and the trainer see only this abstraction.
/// To add a layer: one file for the math (a subclass) and one small codec in <c>Serialization/Codecs</c> for model files.
/// </remarks>
public abstract class Layer
{
    private double[] outputs = [];
    private int threads = 1;

    /// <summary>Creates a layer of the given widths.</summary>
    /// <param name="inputSize">Values per input sample.</param>
    /// <param name="outputSize">Values per output sample.</param>
    protected Layer(int inputSize, int outputSize)
    {
        if (inputSize <= 0) throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "inputSize must be positive.");
        if (outputSize <= 0) throw new ArgumentOutOfRangeException(nameof(outputSize), outputSize, "outputSize must be positive.");
        InputSize = inputSize;
        OutputSize = outputSize;
    }

    /// <summary>Values per input sample.</summary>
    public int InputSize { get; }

    /// <summary>Values per output sample.</summary>
    public int OutputSize { get; }

    /// <summary>The trainable tensors, with their gradients (none for pooling and flatten).</summary>
    public virtual IReadOnlyList<Parameter> Parameters => [];

    /// <summary>Number of trainable values.</summary>
    public int ParameterCount => Parameters.Sum(p => p.Count);

    /// <summary>
    /// Threads this layer's matrix products and per-sample passes (im2col, pooling, activations) may use, the caller's included
    /// (default 1; a <see cref="Network"/> sets it from <see cref="Network.Threads"/>). Results are bit-identical for every value.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int Threads
    {
        get => threads;
        set
        {
            if (value < 1) throw new ArgumentOutOfRangeException(nameof(Threads), value, $"Threads must be at least 1, but is {value}.");
            Kernels.RangeThreads.Prepare(value);
            threads = value;
        }
    }

    /// <summary>Rows in the last forward pass.</summary>
    public int BatchSize { get; private set; }

    /// <summary>The outputs of the last forward pass, <c>[BatchSize, OutputSize]</c> (the activations a for an <see cref="ActivatedLayer"/>).</summary>
    public ReadOnlySpan<double> Outputs => outputs.AsSpan(0, BatchSize * OutputSize);

    /// <summary>Computes the outputs for a batch.</summary>
    /// <param name="input">The batch, <c>[batch, InputSize]</c>.</param>
    /// <param name="batch">Rows in it.</param>
    /// <returns>The outputs, <c>[batch, OutputSize]</c>, valid until the next pass.</returns>
    public ReadOnlySpan<double> Forward(ReadOnlySpan<double> input, int batch)
    {
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "batch must be positive.");
        if (input.Length != (long)batch * InputSize)
            throw new ArgumentException(
                $"input must be [batch={batch}, {InputSize}] = {(long)batch * InputSize} values, but has {input.Length}.", nameof(input));
        if (outputs.Length < batch * OutputSize) outputs = new double[batch * OutputSize];
        Reserve(batch);
        BatchSize = batch;
        ForwardCore(input, outputs.AsSpan(0, batch * OutputSize), batch);
        return Outputs;
    }

    /// <summary>
    /// Backpropagation through the layer after <see cref="Forward"/>: from ∂Lᵢ/∂(output)ᵢ per sample, the parameter gradients of
    /// the batch cost (averaged over the batch, BP3 and BP4) and, unless <paramref name="inputGradient"/> is empty, ∂Lᵢ/∂(input)ᵢ
    /// per sample (BP2's propagation to the layer below).
    /// </summary>
    /// <param name="input">The input of the last forward pass.</param>
    /// <param name="outputGradient">∂Lᵢ/∂(output)ᵢ, <c>[BatchSize, OutputSize]</c>.</param>
    /// <param name="inputGradient">Receives ∂Lᵢ/∂(input)ᵢ, <c>[BatchSize, InputSize]</c>, or is empty to skip it.</param>
    public void Backward(ReadOnlySpan<double> input, ReadOnlySpan<double> outputGradient, Span<double> inputGradient)
    {
        int rows = BatchSize * OutputSize;
        if (outputGradient.Length != rows)
            throw new ArgumentException($"outputGradient must be [{BatchSize}, {OutputSize}] = {rows} values, but has {outputGradient.Length}.", nameof(outputGradient));
        if (input.Length != BatchSize * InputSize)
            throw new ArgumentException($"input must be the last forward pass's [{BatchSize}, {InputSize}] = {BatchSize * InputSize} values, but has {input.Length}.", nameof(input));
        if (!inputGradient.IsEmpty && inputGradient.Length != BatchSize * InputSize)
            throw new ArgumentException($"inputGradient must be empty or [{BatchSize}, {InputSize}] = {BatchSize * InputSize} values, but has {inputGradient.Length}.", nameof(inputGradient));
        BackwardCore(input, outputGradient, inputGradient);
    }

    /// <summary>
    /// After <see cref="Forward"/>: true when the pass proved its inputs finite without a second read of them, so that the network
    /// need not scan a batch it has just multiplied. False (the default) means the inputs must be checked.
    /// </summary>
    internal virtual bool InputsWereFinite => false;

    /// <summary>Draws the initial parameters.</summary>
    /// <param name="scheme">The distribution.</param>
    /// <param name="random">The source, seeded by the caller.</param>
    public virtual void Initialize(WeightInitialization scheme, Random random) { }

    /// <summary>Makes room for a batch of <paramref name="batch"/> rows before a forward pass (the outputs are already reserved).</summary>
    /// <param name="batch">Rows.</param>
    protected virtual void Reserve(int batch) { }

    /// <summary>The forward map.</summary>
    /// <param name="input">The batch.</param>
    /// <param name="output">Receives the outputs.</param>
    /// <param name="batch">Rows.</param>
    protected abstract void ForwardCore(ReadOnlySpan<double> input, Span<double> output, int batch);

    /// <summary>The backward map, on arguments already checked.</summary>
    /// <param name="input">The input of the last forward pass.</param>
    /// <param name="outputGradient">∂Lᵢ/∂(output)ᵢ.</param>
    /// <param name="inputGradient">Receives ∂Lᵢ/∂(input)ᵢ, or is empty.</param>
    protected abstract void BackwardCore(ReadOnlySpan<double> input, ReadOnlySpan<double> outputGradient, Span<double> inputGradient);
}
