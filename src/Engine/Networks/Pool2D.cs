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
    protected override void ComputePreActivations(ReadOnlySpan<double> input, Span<double> z, int batch)
    {
        if (chosen.Length < batch * OutputSize) chosen = new int[batch * OutputSize];
        var (channels, outHeight, outWidth) = OutputShape;
        for (int b = 0; b < batch; b++)
        {
            var image = input.Slice(b * InputSize, InputSize);
            for (int c = 0, o = 0; c < channels; c++)
                for (int y = 0; y < outHeight; y++)
                    for (int x = 0; x < outWidth; x++, o++)
                    {
                        int best = InputIndex(c, y * Stride, x * Stride);
                        for (int i = 0; i < Size; i++)
                            for (int j = 0; j < Size; j++)
                            {
                                int at = InputIndex(c, y * Stride + i, x * Stride + j);
                                if (image[at] > image[best]) best = at;
                            }
                        z[b * OutputSize + o] = image[best];
                        chosen[b * OutputSize + o] = best;
                    }
        }
    }

    /// <inheritdoc/>
    public override void Backpropagate(ReadOnlySpan<double> input, Span<double> inputGradient)
    {
        if (inputGradient.IsEmpty) return;
        inputGradient.Clear();
        var deltas = Deltas;
        for (int b = 0; b < BatchSize; b++)
            for (int o = 0; o < OutputSize; o++)
                inputGradient[b * InputSize + chosen[b * OutputSize + o]] += deltas[b * OutputSize + o];
    }

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
    protected override void ComputePreActivations(ReadOnlySpan<double> input, Span<double> z, int batch)
    {
        var (channels, outHeight, outWidth) = OutputShape;
        double area = Size * Size;
        for (int b = 0; b < batch; b++)
        {
            var image = input.Slice(b * InputSize, InputSize);
            for (int c = 0, o = 0; c < channels; c++)
                for (int y = 0; y < outHeight; y++)
                    for (int x = 0; x < outWidth; x++, o++)
                    {
                        double sum = 0;
                        for (int i = 0; i < Size; i++)
                            for (int j = 0; j < Size; j++) sum += image[InputIndex(c, y * Stride + i, x * Stride + j)];
                        z[b * OutputSize + o] = sum / area;
                    }
        }
    }

    /// <inheritdoc/>
    public override void Backpropagate(ReadOnlySpan<double> input, Span<double> inputGradient)
    {
        if (inputGradient.IsEmpty) return;
        inputGradient.Clear();
        var (channels, outHeight, outWidth) = OutputShape;
        var deltas = Deltas;
        double area = Size * Size;
        for (int b = 0; b < BatchSize; b++)
            for (int c = 0, o = 0; c < channels; c++)
                for (int y = 0; y < outHeight; y++)
                    for (int x = 0; x < outWidth; x++, o++)
                    {
                        double share = deltas[b * OutputSize + o] / area;
                        for (int i = 0; i < Size; i++)
                            for (int j = 0; j < Size; j++) inputGradient[b * InputSize + InputIndex(c, y * Stride + i, x * Stride + j)] += share;
                    }
    }
}
