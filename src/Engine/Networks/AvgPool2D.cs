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
