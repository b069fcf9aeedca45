using Engine.Kernels;

namespace Engine.Networks;

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

    /// <inheritdoc/>
    protected override void Reserve(int batch)
    {
        if (chosen.Length < batch * OutputSize) chosen = new int[batch * OutputSize];
    }

    /// <inheritdoc/>
    protected override void PoolSample(ReadOnlySpan<double> image, Span<double> output, int sample) =>
        Pooling.Max(image, Windows, output, chosen.AsSpan(sample * OutputSize, OutputSize));

    /// <inheritdoc/>
    protected override void RouteSample(ReadOnlySpan<double> outputGradient, Span<double> gradient, int sample) =>
        Pooling.MaxGradient(outputGradient, chosen.AsSpan(sample * OutputSize, OutputSize), Windows, gradient);

    /// <summary>Which input element (index within its sample) each output of the last forward pass took its value from.</summary>
    public ReadOnlySpan<int> Chosen => chosen.AsSpan(0, BatchSize * OutputSize);
}
