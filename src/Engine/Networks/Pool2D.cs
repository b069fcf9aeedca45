using System.Text.Json.Nodes;
using Engine.Activations;

namespace Engine.Networks;

/// <summary>
/// Pooling over size × size windows taken every <see cref="Stride"/> pixels of each channel (no padding):
/// output <c>[channels, (h − size)/stride + 1, (w − size)/stride + 1]</c>. No parameters; its activation is the identity.
/// </summary>
public abstract class Pool2D : Layer
{
    /// <summary>A pooling layer on <paramref name="input"/>.</summary>
    /// <param name="input">The input image's shape.</param>
    /// <param name="size">Window side.</param>
    /// <param name="stride">Step between windows.</param>
    protected Pool2D(ImageShape input, int size, int stride)
        : base(input.Validate(nameof(input)).Size, OutputShapeOf(input, size, stride).Size, new Identity())
    {
        InputShape = input;
        Size = size;
        Stride = stride;
        OutputShape = OutputShapeOf(input, size, stride);
    }

    /// <summary>The input image's shape.</summary>
    public ImageShape InputShape { get; }

    /// <summary>The output image's shape.</summary>
    public ImageShape OutputShape { get; }

    /// <summary>Window side.</summary>
    public int Size { get; }

    /// <summary>Step between windows.</summary>
    public int Stride { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => [];

    /// <summary>The kind name in model files.</summary>
    protected abstract string Kind { get; }

    private static ImageShape OutputShapeOf(ImageShape input, int size, int stride)
    {
        if (size <= 0) throw new ArgumentOutOfRangeException(nameof(size), size, "size must be positive.");
        if (stride <= 0) throw new ArgumentOutOfRangeException(nameof(stride), stride, "stride must be positive.");
        if (size > input.Height || size > input.Width)
            throw new ArgumentException($"A {size}×{size} pooling window does not fit the {input} input.", nameof(size));
        return new ImageShape(input.Channels, (input.Height - size) / stride + 1, (input.Width - size) / stride + 1);
    }

    /// <inheritdoc/>
    public override JsonObject ToSpec() => new()
    {
        ["type"] = Kind,
        ["input"] = new JsonArray(InputShape.Channels, InputShape.Height, InputShape.Width),
        ["size"] = Size,
        ["stride"] = Stride,
    };

    /// <summary>Reads the settings shared by the pooling layers.</summary>
    /// <param name="spec">The stored settings.</param>
    protected static (ImageShape Input, int Size, int Stride) ReadSpec(JsonObject spec)
    {
        var input = LayerSpec.Ints(spec, "input", 3);
        return (new ImageShape(input[0], input[1], input[2]), LayerSpec.Int(spec, "size"), LayerSpec.Int(spec, "stride"));
    }

    /// <inheritdoc/>
    public override void Initialize(WeightInitialization scheme, Random random) { }

    /// <summary>Index into the sample's input of pixel (channel, y, x).</summary>
    /// <param name="channel">Channel.</param>
    /// <param name="y">Row.</param>
    /// <param name="x">Column.</param>
    protected int InputIndex(int channel, int y, int x) => (channel * InputShape.Height + y) * InputShape.Width + x;

    /// <summary>The pooled value of one window.</summary>
    /// <param name="image">The sample's input.</param>
    /// <param name="output">Index of the output in the batch, <c>b·OutputSize + o</c>.</param>
    /// <param name="channel">The window's channel.</param>
    /// <param name="top">Its first row.</param>
    /// <param name="left">Its first column.</param>
    protected abstract double Pool(ReadOnlySpan<double> image, int output, int channel, int top, int left);

    /// <summary>Adds one output's δ to the gradient of the window's inputs.</summary>
    /// <param name="gradient">The sample's input gradient.</param>
    /// <param name="delta">∂L/∂ of the output.</param>
    /// <param name="output">Index of the output in the batch.</param>
    /// <param name="channel">The window's channel.</param>
    /// <param name="top">Its first row.</param>
    /// <param name="left">Its first column.</param>
    protected abstract void Route(Span<double> gradient, double delta, int output, int channel, int top, int left);

    /// <summary>Makes room for a batch before the windows are pooled.</summary>
    /// <param name="batch">Rows.</param>
    protected virtual void Reserve(int batch) { }

    /// <inheritdoc/>
    protected sealed override void ComputePreActivations(ReadOnlySpan<double> input, Span<double> z, int batch)
    {
        Reserve(batch);
        var (channels, outHeight, outWidth) = OutputShape;
        for (int b = 0; b < batch; b++)
        {
            var image = input.Slice(b * InputSize, InputSize);
            for (int c = 0, o = b * OutputSize; c < channels; c++)
                for (int y = 0; y < outHeight; y++)
                    for (int x = 0; x < outWidth; x++, o++)
                        z[o] = Pool(image, o, c, y * Stride, x * Stride);
        }
    }

    /// <inheritdoc/>
    public sealed override void Backpropagate(ReadOnlySpan<double> input, Span<double> inputGradient)
    {
        if (inputGradient.IsEmpty) return;
        inputGradient.Clear();
        var (channels, outHeight, outWidth) = OutputShape;
        var deltas = Deltas;
        for (int b = 0; b < BatchSize; b++)
        {
            var gradient = inputGradient.Slice(b * InputSize, InputSize);
            for (int c = 0, o = b * OutputSize; c < channels; c++)
                for (int y = 0; y < outHeight; y++)
                    for (int x = 0; x < outWidth; x++, o++)
                        Route(gradient, deltas[o], o, c, y * Stride, x * Stride);
        }
    }
}

/// <summary>
/// Max pooling: each output is the largest value of its window; the gradient goes to that element alone. On ties the first maximum
/// in row-major window order takes it (as PyTorch), so the gradient is one of the subgradients there.
/// </summary>
public sealed class MaxPool2D : Pool2D
{
    private int[] chosen = [];

    /// <summary>Max pooling of size × size windows.</summary>
    /// <param name="input">The input image's shape.</param>
    /// <param name="size">Window side.</param>
    /// <param name="stride">Step between windows (default: the size).</param>
    public MaxPool2D(ImageShape input, int size, int stride = 0) : base(input, size, stride == 0 ? size : stride) { }

    /// <summary>The kind name in model files.</summary>
    public const string KindName = "maxpool2d";

    /// <inheritdoc/>
    protected override string Kind => KindName;

    /// <summary>A max pooling layer from its spec.</summary>
    /// <param name="spec">The stored settings.</param>
    /// <param name="activations">Unused: pooling has no activation.</param>
    public static MaxPool2D FromSpec(JsonObject spec, Registry<Activation> activations)
    {
        var (input, size, stride) = ReadSpec(spec);
        return new MaxPool2D(input, size, stride);
    }

    /// <inheritdoc/>
    protected override void Reserve(int batch)
    {
        if (chosen.Length < batch * OutputSize) chosen = new int[batch * OutputSize];
    }

    /// <inheritdoc/>
    protected override double Pool(ReadOnlySpan<double> image, int output, int channel, int top, int left)
    {
        int best = InputIndex(channel, top, left);
        for (int i = 0; i < Size; i++)
            for (int j = 0; j < Size; j++)
            {
                int at = InputIndex(channel, top + i, left + j);
                if (image[at] > image[best]) best = at;
            }
        chosen[output] = best;
        return image[best];
    }

    /// <inheritdoc/>
    protected override void Route(Span<double> gradient, double delta, int output, int channel, int top, int left) =>
        gradient[chosen[output]] += delta;

    /// <summary>Which input element (index within its sample) each output of the last forward pass took its value from.</summary>
    public ReadOnlySpan<int> Chosen => chosen.AsSpan(0, BatchSize * OutputSize);
}

/// <summary>Average pooling: each output is the mean of its window; the gradient is shared equally, δ/size², by the window's elements.</summary>
public sealed class AvgPool2D : Pool2D
{
    /// <summary>Average pooling of size × size windows.</summary>
    /// <param name="input">The input image's shape.</param>
    /// <param name="size">Window side.</param>
    /// <param name="stride">Step between windows (default: the size).</param>
    public AvgPool2D(ImageShape input, int size, int stride = 0) : base(input, size, stride == 0 ? size : stride) { }

    /// <summary>The kind name in model files.</summary>
    public const string KindName = "avgpool2d";

    /// <inheritdoc/>
    protected override string Kind => KindName;

    /// <summary>An average pooling layer from its spec.</summary>
    /// <param name="spec">The stored settings.</param>
    /// <param name="activations">Unused: pooling has no activation.</param>
    public static AvgPool2D FromSpec(JsonObject spec, Registry<Activation> activations)
    {
        var (input, size, stride) = ReadSpec(spec);
        return new AvgPool2D(input, size, stride);
    }

    /// <inheritdoc/>
    protected override double Pool(ReadOnlySpan<double> image, int output, int channel, int top, int left)
    {
        double sum = 0;
        for (int i = 0; i < Size; i++)
            for (int j = 0; j < Size; j++) sum += image[InputIndex(channel, top + i, left + j)];
        return sum / (Size * Size);
    }

    /// <inheritdoc/>
    protected override void Route(Span<double> gradient, double delta, int output, int channel, int top, int left)
    {
        double share = delta / (Size * Size);
        for (int i = 0; i < Size; i++)
            for (int j = 0; j < Size; j++) gradient[InputIndex(channel, top + i, left + j)] += share;
    }
}
