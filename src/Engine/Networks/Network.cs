using Engine.Activations;
using Engine.Kernels;
using Engine.Losses;

namespace Engine.Networks;

/// <summary>
/// An ordered list of layers trained by backpropagation. <see cref="ComputeGradients"/> runs the forward pass and the
/// four equations: BP1 δᴸ = ∇ₐL ⊙ σ'(zᴸ) (or a fused loss's closed form), BP2 δˡ = ((Wˡ⁺¹)ᵀδˡ⁺¹) ⊙ σ'(zˡ),
/// BP3 ∂C/∂bˡⱼ = δˡⱼ and BP4 ∂C/∂wˡⱼₖ = aˡ⁻¹ₖ·δˡⱼ, with the parameter gradients averaged over the batch:
/// the cost is C = (1/batch)·Σᵢ Lᵢ. Every gradient the network exposes is of C (parameters and <see cref="InputGradient"/>);
/// the layers' δ are per sample, as the notes write them.
/// </summary>
public sealed class Network
{
    private readonly Layer[] layers;
    private readonly Parameter[] parameters;
    private readonly string[] parameterNames;
    private readonly double[][] activationGradients;
    private double[] inputGradient = [];
    private int inputGradientRows;
    private static readonly Activation LinearOutput = new Identity();

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
        parameterNames = this.layers.SelectMany((layer, l) => layer.Parameters.Select(p => $"layers.{l}.{p.Name}")).ToArray();
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
    /// Threads the layers' matrix products and per-sample passes may use, the caller's included; by default one per processor. Results are
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

    /// <summary>The outputs of the last forward pass, <c>[batch, OutputSize]</c>: the output layer's activations.</summary>
    public ReadOnlySpan<double> Outputs => layers[^1].Outputs;

    /// <summary>σ of the output layer (the identity when the last layer has no activation), which a loss must be compatible with.</summary>
    public Activation OutputActivation => layers[^1] is ActivatedLayer last ? last.Activation : LinearOutput;

    /// <summary>
    /// Whether <see cref="ComputeGradients"/> and <see cref="Cost"/> use a fused loss's closed form after its activation
    /// (softmax + cross-entropy, sigmoid + binary cross-entropy: L from the logits, δᴸ = a − y), as they do by default. Set it to
    /// false to take the general chain-rule path, ∇ₐL through the activation's vector-Jacobian product (BP1), e.g. to check one
    /// path against the other; the closed form is the stable one where the activation saturates.
    /// </summary>
    public bool FuseOutputError { get; set; } = true;

    /// <summary>Every trainable tensor, input side first.</summary>
    public IReadOnlyList<Parameter> Parameters => parameters;

    /// <summary>The name of each of <see cref="Parameters"/>, <c>layers.{l}.{name}</c> (e.g. <c>layers.0.weight</c>), as model files and optimizer state name them.</summary>
    public IReadOnlyList<string> ParameterNames => parameterNames;

    /// <summary>Number of trainable values (a 4→3→2→1 dense network has 26).</summary>
    public int ParameterCount => layers.Sum(l => l.ParameterCount);

    /// <summary>
    /// ∂C/∂x of the batch cost C = (1/batch)·Σᵢ Lᵢ, <c>[batch, InputSize]</c>, from the last <see cref="ComputeGradients"/> that
    /// asked for it: the convention of the parameter gradients and of PyTorch's <c>x.grad</c>. Row i times the batch size is the
    /// per-sample ∂Lᵢ/∂xᵢ.
    /// </summary>
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
    /// <exception cref="ArgumentException">The inputs are not a <c>[batch, InputSize]</c> matrix of finite values (the message names
    /// the first bad row and column); the parameters are unchanged, the first layer's outputs may not be.</exception>
    public ReadOnlySpan<double> Forward(ReadOnlySpan<double> inputs, int batch)
    {
        ValidateShape(inputs, batch);
        var current = layers[0].Forward(inputs, batch);
        // The inputs are read once more only where the first layer cannot vouch for them (it reads each batch from memory anyway).
        if (!layers[0].InputsWereFinite) RequireFinite(inputs, InputSize, nameof(inputs));
        for (int l = 1; l < layers.Length; l++) current = layers[l].Forward(current, batch);
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
        for (int l = layers.Length - 1; l >= 0; l--)
        {
            var input = l == 0 ? inputs : layers[l - 1].Outputs;
            // BP2 runs through the layer below: ∂L/∂aˡ⁻¹ = (Wˡ)ᵀδˡ, then that layer's σ'(zˡ⁻¹).
            var inputGradient = l > 0 ? Reserve(ref activationGradients[l - 1], batch * layers[l - 1].OutputSize)
                : withInputGradient ? InputGradientBuffer(batch) : Span<double>.Empty;
            if (l == layers.Length - 1) BackwardOutputLayer(input, targets, loss, inputGradient);
            else layers[l].Backward(input, activationGradients[l].AsSpan(0, batch * layers[l].OutputSize), inputGradient);
        }
        if (withInputGradient) VectorOps.Scale(InputGradientBuffer(batch), 1.0 / batch);
        return cost;
    }

    /// <summary>The fused loss's closed form for the output error when it applies, else BP1: ∇ₐL, then the activation.</summary>
    private IFusedLoss? Fusion(Loss loss) =>
        FuseOutputError && loss is IFusedLoss fused && layers[^1] is ActivatedLayer last && fused.FusesWith(last.Activation) ? fused : null;

    /// <summary>BP1 at the output layer, or the fused loss's δᴸ computed from the logits, then the layer's backward pass.</summary>
    private void BackwardOutputLayer(ReadOnlySpan<double> input, ReadOnlySpan<double> targets, Loss loss, Span<double> inputGradient)
    {
        var last = layers[^1];
        int width = OutputSize, targetWidth = loss.TargetWidth(width);
        var outputs = last.Outputs;
        if (Fusion(loss) is { } fused)
        {
            var activated = (ActivatedLayer)last;
            var delta = activated.DeltaBuffer;
            for (int i = 0; i < last.BatchSize; i++)
                fused.OutputError(outputs.Slice(i * width, width), targets.Slice(i * targetWidth, targetWidth), delta.Slice(i * width, width));
            activated.BackwardFromDelta(input, inputGradient);
            return;
        }
        var gradient = Reserve(ref activationGradients[^1], outputs.Length);
        for (int i = 0; i < last.BatchSize; i++)
            loss.Gradient(outputs.Slice(i * width, width), targets.Slice(i * targetWidth, targetWidth), gradient.Slice(i * width, width));
        last.Backward(input, gradient, inputGradient);
    }

    private double MeanLoss(ReadOnlySpan<double> targets, Loss loss)
    {
        var last = layers[^1];
        int width = OutputSize, targetWidth = loss.TargetWidth(width), batch = last.BatchSize;
        var fused = Fusion(loss);
        double sum = 0;
        for (int i = 0; i < batch; i++)
        {
            var target = targets.Slice(i * targetWidth, targetWidth);
            sum += fused is not null
                ? fused.ValueFromLogits(((ActivatedLayer)last).PreActivations.Slice(i * width, width), target)
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
        ValidateShape(inputs, batch);
        RequireFinite(inputs, InputSize, nameof(inputs));
    }

    private void ValidateShape(ReadOnlySpan<double> inputs, int batch)
    {
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "batch must be positive.");
        if (inputs.Length != (long)batch * InputSize)
            throw new ArgumentException($"inputs must be [batch={batch}, {InputSize}] = {(long)batch * InputSize} values, but has {inputs.Length}.", nameof(inputs));
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
        if (loss.Incompatibility(OutputActivation) is { } reason) throw new ArgumentException(reason, nameof(loss));
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
