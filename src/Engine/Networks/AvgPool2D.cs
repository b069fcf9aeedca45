using Engine.Kernels;

namespace Engine.Networks;

/// <summary>Average pooling: each output is the mean of its window; the gradient is shared equally, δ/size², by the window's elements.</summary>
public sealed class AvgPool2D : Pool2D
{
    /// <summary>Average pooling of size × size windows.</summary>
    /// <param name="input">The input image's shape.</param>
    /// <param name="size">Window side.</param>
    /// <param name="stride">Step between windows (default: the size).</param>
    public AvgPool2D(ImageShape input, int size, int stride = 0) : base(input, size, stride == 0 ? size : stride) { }

    /// <inheritdoc/>
    protected override void PoolSample(ReadOnlySpan<double> image, Span<double> output, int sample) => Pooling.Average(image, Windows, output);

    /// <inheritdoc/>
    protected override void RouteSample(ReadOnlySpan<double> outputGradient, Span<double> gradient, int sample) =>
        Pooling.AverageGradient(outputGradient, Windows, gradient);
}
