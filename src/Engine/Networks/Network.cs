using Engine.Activations;
using Engine.Kernels;
using Engine.Losses;

namespace Engine.Networks;

/// <summary>
/// An ordered list of layers trained by backpropagation. <see cref="ComputeGradients"/> runs the forward pass and the
/// four equations: BP1 δᴸ = ∇ₐL ⊙ σ'(zᴸ) (or a fused loss's closed form), BP2 δˡ = ((Wˡ⁺¹)ᵀδˡ⁺¹) ⊙ σ'(zˡ),
/// BP3 ∂C/∂bˡⱼ = δˡⱼ and BP4 ∂C/∂wˡⱼₖ = aˡ⁻¹ₖ·δˡⱼ, with the parameter gradients averaged over the batch:
/// the cost is C = (1/batch)·Σᵢ Lᵢ.
/// </summary>
public sealed class Network
{
    private readonly Layer[] layers;
    private readonly Parameter[] parameters;
    private readonly double[][] activationGradients;
    private double[] inputGradient = [];
    private int inputGradientRows;

    /// <summary>A network of the given layers, each layer's input as wide as the previous one's output.</summary>
    /// <param name="layers">At least one layer.</param>
    public Network(params IEnumerable<Layer> layers)
    {
        this.layers = layers.ToArray();
        if (this.layers.Length == 0) throw new ArgumentException("A network needs at least one layer.", nameof(layers));
        for (int l = 1; l < this.layers.Length; l++)
            if (this.layers[l].InputSize != this.layers[l - 1].OutputSize)
                throw new ArgumentException(
                    $"layers[{l}] takes {this.layers[l].InputSize} inputs, but layers[{l - 1}] gives {this.layers[l - 1].OutputSize} outputs.", nameof(layers));
        parameters = this.layers.SelectMany(l => l.Parameters).ToArray();
        Threads = Environment.ProcessorCount;
        activationGradients = new double[this.layers.Length][];
        Array.Fill(activationGradients, []);
    }

    /// <summary>A dense network: <paramref name="sizes"/> = [inputs, hidden…, outputs], e.g. [784, 16, 16, 10].</summary>
    /// <param name="sizes">Neurons per layer, the input first; at least two entries.</param>
    /// <param name="hidden">σ of every hidden layer.</param>
    /// <param name="output">σ of the output layer.</param>
    public static Network Dense(IReadOnlyList<int> sizes, Activation hidden, Activation output)
    {
        if (sizes.Count < 2) throw new ArgumentException($"sizes must list at least the input and output widths, but has {sizes.Count} entries.", nameof(sizes));
        return new Network(Enumerable.Range(1, sizes.Count - 1)
            .Select(l => new Dense(sizes[l - 1], sizes[l], l == sizes.Count - 1 ? output : hidden)));
    }

    /// <summary>The layers, input side first.</summary>
    public IReadOnlyList<Layer> Layers => layers;

    /// <summary>
    /// Threads the layers' matrix products may use, the caller's included; by default one per processor. Results are
    /// bit-identical for every value, so it changes speed only. Setting it sets every layer's <see cref="Layer.Threads"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int Threads
    {
        get => layers[0].Threads;
        set { foreach (var layer in layers) layer.Threads = value; }
    }

    /// <summary>Values per input sample.</summary>
    public int InputSize => layers[0].InputSize;

    /// <summary>Values per output sample.</summary>
    public int OutputSize => layers[^1].OutputSize;

    /// <summary>Every trainable tensor, input side first.</summary>
    public IReadOnlyList<Parameter> Parameters => parameters;

    /// <summary>Number of trainable values (a 4→3→2→1 dense network has 26).</summary>
    public int ParameterCount => layers.Sum(l => l.ParameterCount);

    /// <summary>Row i is ∂Lᵢ/∂xᵢ from the last <see cref="ComputeGradients"/> that asked for it (per sample, like δ).</summary>
    public ReadOnlySpan<double> InputGradient => inputGradient.AsSpan(0, inputGradientRows * InputSize);

    /// <summary>Draws every layer's parameters from one seeded source: the same seed gives the same network.</summary>
    /// <param name="scheme">The distribution.</param>
    /// <param name="seed">The seed.</param>
    public void Initialize(WeightInitialization scheme, int seed)
    {
        var random = new Random(seed);
        foreach (var layer in layers) layer.Initialize(scheme, random);
    }

    /// <summary>The outputs a for a batch.</summary>
    /// <param name="inputs">The batch, <c>[batch, InputSize]</c>, every value finite.</param>
    /// <param name="batch">Rows in it.</param>
    /// <returns>The output layer's activations, <c>[batch, OutputSize]</c>, valid until the next pass.</returns>
    public ReadOnlySpan<double> Forward(ReadOnlySpan<double> inputs, int batch)
    {
        ValidateInputs(inputs, batch);
        var current = inputs;
        foreach (var layer in layers) current = layer.Forward(current, batch);
        return current;
    }

    /// <summary>The batch cost C = (1/batch)·Σᵢ L(aᵢ, yᵢ) without a backward pass.</summary>
    /// <param name="inputs">The batch, <c>[batch, InputSize]</c>.</param>
    /// <param name="targets">Targets, <c>[batch, loss.TargetWidth(OutputSize)]</c>.</param>
    /// <param name="batch">Rows.</param>
    /// <param name="loss">The loss.</param>
    public double Cost(ReadOnlySpan<double> inputs, ReadOnlySpan<double> targets, int batch, Loss loss)
    {
        ValidateTargets(targets, batch, loss);
        Forward(inputs, batch);
        return MeanLoss(targets, loss);
    }

    /// <summary>
    /// Forward and backward for a batch: afterwards every layer holds δ and every <see cref="Parameter.Gradient"/> holds ∂C/∂θ.
    /// </summary>
    /// <param name="inputs">The batch, <c>[batch, InputSize]</c>, every value finite.</param>
    /// <param name="targets">Targets, <c>[batch, loss.TargetWidth(OutputSize)]</c>, valid for the loss.</param>
    /// <param name="batch">Rows.</param>
    /// <param name="loss">The loss.</param>
    /// <param name="withInputGradient">Also compute <see cref="InputGradient"/>.</param>
    /// <returns>The batch cost C.</returns>
    public double ComputeGradients(ReadOnlySpan<double> inputs, ReadOnlySpan<double> targets, int batch, Loss loss, bool withInputGradient = false)
    {
        ValidateTargets(targets, batch, loss);
        Forward(inputs, batch);
        double cost = MeanLoss(targets, loss);
        SetOutputError(targets, loss);
        for (int l = layers.Length - 1; l >= 0; l--)
        {
            var layer = layers[l];
            if (l == 0)
            {
                layer.Backpropagate(inputs, withInputGradient ? InputGradientBuffer(batch) : Span<double>.Empty);
                break;
            }
            var below = layers[l - 1];
            var gradient = Reserve(ref activationGradients[l - 1], batch * below.OutputSize);
            layer.Backpropagate(below.Outputs, gradient);
            below.SetOutputGradient(gradient); // BP2: δˡ⁻¹ = (Wˡᵀδˡ) ⊙ σ'(zˡ⁻¹)
        }
        return cost;
    }

    /// <summary>BP1, or the fused loss's δᴸ computed from the logits.</summary>
    private void SetOutputError(ReadOnlySpan<double> targets, Loss loss)
    {
        var last = layers[^1];
        int width = OutputSize, targetWidth = loss.TargetWidth(width);
        var outputs = last.Outputs;
        if (loss is IFusedLoss fused && fused.FusesWith(last.Activation))
        {
            var delta = last.DeltaBuffer;
            for (int i = 0; i < last.BatchSize; i++)
                fused.OutputError(outputs.Slice(i * width, width), targets.Slice(i * targetWidth, targetWidth), delta.Slice(i * width, width));
            return;
        }
        var gradient = Reserve(ref activationGradients[^1], outputs.Length);
        for (int i = 0; i < last.BatchSize; i++)
            loss.Gradient(outputs.Slice(i * width, width), targets.Slice(i * targetWidth, targetWidth), gradient.Slice(i * width, width));
        last.SetOutputGradient(gradient);
    }

    private double MeanLoss(ReadOnlySpan<double> targets, Loss loss)
    {
        var last = layers[^1];
        int width = OutputSize, targetWidth = loss.TargetWidth(width), batch = last.BatchSize;
        var fused = loss as IFusedLoss;
        bool fromLogits = fused is not null && fused.FusesWith(last.Activation);
        double sum = 0;
        for (int i = 0; i < batch; i++)
        {
            var target = targets.Slice(i * targetWidth, targetWidth);
            sum += fromLogits
                ? fused!.ValueFromLogits(last.PreActivations.Slice(i * width, width), target)
                : loss.Value(last.Outputs.Slice(i * width, width), target);
        }
        return sum / batch;
    }

    /// <summary>
    /// Throws an <see cref="ArgumentException"/> unless <paramref name="inputs"/> is a <c>[batch, InputSize]</c> matrix of finite values;
    /// the message names the first bad row and column.
    /// </summary>
    /// <param name="inputs">The batch.</param>
    /// <param name="batch">Rows.</param>
    public void ValidateInputs(ReadOnlySpan<double> inputs, int batch)
    {
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "batch must be positive.");
        if (inputs.Length != (long)batch * InputSize)
            throw new ArgumentException($"inputs must be [batch={batch}, {InputSize}] = {(long)batch * InputSize} values, but has {inputs.Length}.", nameof(inputs));
        RequireFinite(inputs, InputSize, nameof(inputs));
    }

    /// <summary>
    /// Throws an <see cref="ArgumentException"/> unless <paramref name="loss"/> can follow the output activation and
    /// <paramref name="targets"/> is a <c>[batch, loss.TargetWidth(OutputSize)]</c> matrix of finite values the loss accepts.
    /// </summary>
    /// <param name="targets">Targets.</param>
    /// <param name="batch">Rows.</param>
    /// <param name="loss">The loss.</param>
    public void ValidateTargets(ReadOnlySpan<double> targets, int batch, Loss loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        if (loss.Incompatibility(layers[^1].Activation) is { } reason) throw new ArgumentException(reason, nameof(loss));
        int targetWidth = loss.TargetWidth(OutputSize);
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "batch must be positive.");
        if (targets.Length != batch * targetWidth)
            throw new ArgumentException(
                $"targets must be [batch={batch}, {targetWidth}] = {batch * targetWidth} values for the {loss.Name} loss on {OutputSize} outputs, but has {targets.Length}.", nameof(targets));
        RequireFinite(targets, targetWidth, nameof(targets));
        for (int i = 0; i < batch; i++) loss.ValidateTarget(targets.Slice(i * targetWidth, targetWidth), OutputSize, i);
    }

    private static void RequireFinite(ReadOnlySpan<double> values, int width, string argument)
    {
        int bad = VectorOps.IndexOfNonFinite(values);
        if (bad >= 0)
            throw new ArgumentException($"{argument}[{bad / width}, {bad % width}] must be finite, but is {values[bad]}.", argument);
    }

    private Span<double> InputGradientBuffer(int batch)
    {
        inputGradientRows = batch;
        return Reserve(ref inputGradient, batch * InputSize);
    }

    private static Span<double> Reserve(ref double[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new double[length];
        return buffer.AsSpan(0, length);
    }
}
