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

    /// <summary>Pools one sample. Samples of a batch may be pooled on different threads at once.</summary>
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
    protected sealed override unsafe void ForwardCore(ReadOnlySpan<double> input, Span<double> output, int batch)
    {
        fixed (double* source = input, target = output)
            RangeThreads.Run(new Samples(this, source, target, forward: true), batch, InputSize, Threads);
    }

    /// <inheritdoc/>
    protected sealed override unsafe void BackwardCore(ReadOnlySpan<double> input, ReadOnlySpan<double> outputGradient, Span<double> inputGradient)
    {
        if (inputGradient.IsEmpty) return;
        fixed (double* source = outputGradient, target = inputGradient)
            RangeThreads.Run(new Samples(this, source, target, forward: false), BatchSize, InputSize, Threads);
    }

    /// <summary>Pools (or routes the gradient of) samples [start, end): each sample independently, so they split over threads.</summary>
    private readonly unsafe struct Samples(Pool2D layer, double* source, double* target, bool forward) : IRangeWork
    {
        public void Run(int start, int end)
        {
            int inputSize = layer.InputSize, outputSize = layer.OutputSize;
            for (int b = start; b < end; b++)
            {
                if (forward)
                    layer.PoolSample(new ReadOnlySpan<double>(source + (nint)b * inputSize, inputSize), new Span<double>(target + (nint)b * outputSize, outputSize), b);
                else
                    layer.RouteSample(new ReadOnlySpan<double>(source + (nint)b * outputSize, outputSize), new Span<double>(target + (nint)b * inputSize, inputSize), b);
            }
        }
    }
}
