namespace Engine.Kernels;

/// <summary>
/// A 2-D pooling of one sample as the pooling kernels see it: <see cref="Channels"/> planes of <see cref="Height"/> ×
/// <see cref="Width"/> pixels, <see cref="Size"/> × <see cref="Size"/> windows every <see cref="Stride"/> pixels (no padding),
/// <see cref="OutputHeight"/> × <see cref="OutputWidth"/> outputs per plane. Output (c, y, x) pools in[c, y·Stride + i, x·Stride + j]
/// for 0 ≤ i, j &lt; Size.
/// </summary>
internal readonly record struct PoolingGeometry(int Channels, int Height, int Width, int Size, int Stride, int OutputHeight, int OutputWidth)
{
    /// <summary>Values of one sample's input.</summary>
    public int InputSize => Channels * Height * Width;

    /// <summary>Values of one sample's output.</summary>
    public int OutputSize => Channels * OutputHeight * OutputWidth;
}
