namespace Engine.Kernels.Reference;

/// <summary>
/// The naive twin of <see cref="Kernels.Pooling"/>: each window visited in row-major order, straight from the definitions. The
/// exhaustive-shape test holds the optimized kernels to it bit for bit.
/// </summary>
internal static class NaivePooling
{
    /// <summary>Each output is its window's largest value; <paramref name="chosen"/> receives where it lies in the sample (the first
    /// maximum in row-major window order).</summary>
    /// <param name="image">One sample, <c>[Channels, Height, Width]</c>.</param>
    /// <param name="shape">The pooling.</param>
    /// <param name="output">Receives the sample's outputs, <c>[Channels, OutputHeight, OutputWidth]</c>.</param>
    /// <param name="chosen">Receives, per output, the index in <paramref name="image"/> of the value it took.</param>
    public static void Max(ReadOnlySpan<double> image, in PoolingGeometry shape, Span<double> output, Span<int> chosen)
    {
        for (int c = 0, o = 0; c < shape.Channels; c++)
            for (int y = 0; y < shape.OutputHeight; y++)
                for (int x = 0; x < shape.OutputWidth; x++, o++)
                {
                    int best = (c * shape.Height + y * shape.Stride) * shape.Width + x * shape.Stride;
                    for (int i = 0; i < shape.Size; i++)
                        for (int j = 0; j < shape.Size; j++)
                        {
                            int at = (c * shape.Height + y * shape.Stride + i) * shape.Width + x * shape.Stride + j;
                            if (image[at] > image[best]) best = at;
                        }
                    chosen[o] = best;
                    output[o] = image[best];
                }
    }

    /// <summary>The gradient of <see cref="Max"/>: the sample's input gradient is cleared, then each output's δ is added to the element it took.</summary>
    /// <param name="outputGradient">∂L/∂output of the sample.</param>
    /// <param name="chosen">What <see cref="Max"/> chose.</param>
    /// <param name="shape">The pooling.</param>
    /// <param name="gradient">Receives ∂L/∂input of the sample.</param>
    public static void MaxGradient(ReadOnlySpan<double> outputGradient, ReadOnlySpan<int> chosen, in PoolingGeometry shape, Span<double> gradient)
    {
        gradient[..shape.InputSize].Clear();
        for (int o = 0; o < shape.OutputSize; o++) gradient[chosen[o]] += outputGradient[o];
    }

    /// <summary>Each output is its window's mean: the sum in row-major window order, divided by Size².</summary>
    /// <param name="image">One sample.</param>
    /// <param name="shape">The pooling.</param>
    /// <param name="output">Receives the sample's outputs.</param>
    public static void Average(ReadOnlySpan<double> image, in PoolingGeometry shape, Span<double> output)
    {
        for (int c = 0, o = 0; c < shape.Channels; c++)
            for (int y = 0; y < shape.OutputHeight; y++)
                for (int x = 0; x < shape.OutputWidth; x++, o++)
                {
                    double sum = 0;
                    for (int i = 0; i < shape.Size; i++)
                        for (int j = 0; j < shape.Size; j++) sum += image[(c * shape.Height + y * shape.Stride + i) * shape.Width + x * shape.Stride + j];
                    output[o] = sum / (shape.Size * shape.Size);
                }
    }

    /// <summary>The gradient of <see cref="Average"/>: cleared, then each output's δ/Size² added to every element of its window, outputs
    /// in order, each window in row-major order.</summary>
    /// <param name="outputGradient">∂L/∂output of the sample.</param>
    /// <param name="shape">The pooling.</param>
    /// <param name="gradient">Receives ∂L/∂input of the sample.</param>
    public static void AverageGradient(ReadOnlySpan<double> outputGradient, in PoolingGeometry shape, Span<double> gradient)
    {
        gradient[..shape.InputSize].Clear();
        for (int c = 0, o = 0; c < shape.Channels; c++)
            for (int y = 0; y < shape.OutputHeight; y++)
                for (int x = 0; x < shape.OutputWidth; x++, o++)
                {
                    double share = outputGradient[o] / (shape.Size * shape.Size);
                    for (int i = 0; i < shape.Size; i++)
                        for (int j = 0; j < shape.Size; j++) gradient[(c * shape.Height + y * shape.Stride + i) * shape.Width + x * shape.Stride + j] += share;
                }
    }
}
