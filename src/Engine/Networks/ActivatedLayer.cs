using System.Numerics;
using Engine.Activations;
using Engine.Kernels;

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

    /// <summary>z for writing, by a fused pass that computes the next sample's product (<see cref="Dense.UpdateThenForward"/>).</summary>
    internal Span<double> PreActivationBuffer => z.AsSpan(0, BatchSize * OutputSize);

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
    protected sealed override unsafe void ForwardCore(ReadOnlySpan<double> input, Span<double> output, int batch)
    {
        var zSpan = z.AsSpan(0, batch * OutputSize);
        ComputePreActivations(input, zSpan, batch);
        fixed (double* pre = zSpan, activated = output)
            RangeThreads.Run(new Rows(Activation, pre, activated, null, null, OutputSize), batch, OutputSize, Threads, AlignedRows);
    }

    /// <summary>BP1/BP2 at this layer: δ = (∂a/∂z)ᵀ·∂L/∂a (the activation's vector-Jacobian product), then the linear map's backward.</summary>
    protected sealed override unsafe void BackwardCore(ReadOnlySpan<double> input, ReadOnlySpan<double> outputGradient, Span<double> inputGradient)
    {
        fixed (double* pre = PreActivations, activated = Outputs, gradient = outputGradient, error = DeltaBuffer)
            RangeThreads.Run(new Rows(Activation, pre, activated, gradient, error, OutputSize), BatchSize, OutputSize, Threads, AlignedRows);
        BackpropagateDelta(input, inputGradient);
    }

    /// <summary>Rows per split of the activation's pass: a multiple whose first value is vector-aligned, so that each value is
    /// computed by the same form (a vector lane or the scalar tail) however the rows are split over threads.</summary>
    private int AlignedRows => Vector<double>.Count / (int)BigInteger.GreatestCommonDivisor(OutputSize, Vector<double>.Count);

    /// <summary>The activation (or, given the gradients, its vector-Jacobian product) on rows [start, end).</summary>
    private readonly unsafe struct Rows(Activation activation, double* z, double* a, double* gradientA, double* gradientZ, int width) : IRangeWork
    {
        public void Run(int start, int end)
        {
            nint offset = (nint)start * width;
            int length = (end - start) * width;
            if (gradientZ == null) activation.Forward(new ReadOnlySpan<double>(z + offset, length), new Span<double>(a + offset, length), width);
            else activation.Backward(new ReadOnlySpan<double>(z + offset, length), new ReadOnlySpan<double>(a + offset, length),
                new ReadOnlySpan<double>(gradientA + offset, length), new Span<double>(gradientZ + offset, length), width);
        }
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
