using Engine.Kernels;

namespace Engine.Networks;

/// <summary>
/// Pooling over size × size windows taken every <see cref="Stride"/> pixels of each channel (no padding):
/// output <c>[channels, (h − size)/stride + 1, (w − size)/stride + 1]</c>. No parameters and no activation.
/// </summary>
public abstract class Pool2D : Layer
{
    /// <summary>A pooling layer on <paramref name="input"/>.</summary>
    /// <param name="input">The input image's shape.</param>
    /// <param name="size">Window side.</param>
    /// <param name="stride">Step between windows.</param>
    protected Pool2D(ImageShape input, int size, int stride)
        : base(input.Validate(nameof(input)).Size, OutputShapeOf(input, size, stride).Size)
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

    private static ImageShape OutputShapeOf(ImageShape input, int size, int stride)
    {
        if (size <= 0) throw new ArgumentOutOfRangeException(nameof(size), size, "size must be positive.");
        if (stride <= 0) throw new ArgumentOutOfRangeException(nameof(stride), stride, "stride must be positive.");
        if (size > input.Height || size > input.Width)
            throw new ArgumentException($"A {size}×{size} pooling window does not fit the {input} input.", nameof(size));
        return new ImageShape(input.Channels, (input.Height - size) / stride + 1, (input.Width - size) / stride + 1);
    }

    /// <summary>The windows as the pooling kernels take them.</summary>
    private protected PoolingGeometry Windows => new(InputShape.Channels, InputShape.Height, InputShape.Width, Size, Stride, OutputShape.Height, OutputShape.Width);

    /// <summary>Pools one sample.</summary>
    /// <param name="image">The sample's input.</param>
    /// <param name="output">Receives its outputs.</param>
    /// <param name="sample">Its row in the batch.</param>
    protected abstract void PoolSample(ReadOnlySpan<double> image, Span<double> output, int sample);

    /// <summary>The gradient of one sample's pooling: ∂L/∂input from ∂L/∂output.</summary>
    /// <param name="outputGradient">∂L/∂output of the sample.</param>
    /// <param name="gradient">Receives ∂L/∂input of the sample.</param>
    /// <param name="sample">Its row in the batch.</param>
    protected abstract void RouteSample(ReadOnlySpan<double> outputGradient, Span<double> gradient, int sample);

    /// <inheritdoc/>
    protected sealed override void ForwardCore(ReadOnlySpan<double> input, Span<double> output, int batch)
    {
        for (int b = 0; b < batch; b++) PoolSample(input.Slice(b * InputSize, InputSize), output.Slice(b * OutputSize, OutputSize), b);
    }

    /// <inheritdoc/>
    protected sealed override void BackwardCore(ReadOnlySpan<double> input, ReadOnlySpan<double> outputGradient, Span<double> inputGradient)
    {
        if (inputGradient.IsEmpty) return;
        for (int b = 0; b < BatchSize; b++)
            RouteSample(outputGradient.Slice(b * OutputSize, OutputSize), inputGradient.Slice(b * InputSize, InputSize), b);
    }
}
