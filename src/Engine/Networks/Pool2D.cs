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

    /// <inheritdoc/>
    protected sealed override void ForwardCore(ReadOnlySpan<double> input, Span<double> output, int batch)
    {
        var (channels, outHeight, outWidth) = OutputShape;
        for (int b = 0; b < batch; b++)
        {
            var image = input.Slice(b * InputSize, InputSize);
            for (int c = 0, o = b * OutputSize; c < channels; c++)
                for (int y = 0; y < outHeight; y++)
                    for (int x = 0; x < outWidth; x++, o++)
                        output[o] = Pool(image, o, c, y * Stride, x * Stride);
        }
    }

    /// <inheritdoc/>
    protected sealed override void BackwardCore(ReadOnlySpan<double> input, ReadOnlySpan<double> outputGradient, Span<double> inputGradient)
    {
        if (inputGradient.IsEmpty) return;
        inputGradient.Clear();
        var (channels, outHeight, outWidth) = OutputShape;
        for (int b = 0; b < BatchSize; b++)
        {
            var gradient = inputGradient.Slice(b * InputSize, InputSize);
            for (int c = 0, o = b * OutputSize; c < channels; c++)
                for (int y = 0; y < outHeight; y++)
                    for (int x = 0; x < outWidth; x++, o++)
                        Route(gradient, outputGradient[o], o, c, y * Stride, x * Stride);
        }
    }
}
