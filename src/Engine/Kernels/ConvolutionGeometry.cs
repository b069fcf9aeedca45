namespace Engine.Kernels;

/// <summary>
/// A 2-D convolution of one sample as the column kernels see it: an input of <see cref="Channels"/> × <see cref="Height"/> ×
/// <see cref="Width"/>, a <see cref="KernelHeight"/> × <see cref="KernelWidth"/> window moved by <see cref="Stride"/>, <see cref="Top"/>
/// rows and <see cref="Left"/> columns of zero padding before the image, and <see cref="OutputHeight"/> × <see cref="OutputWidth"/>
/// output positions. Output position (y, x) reads in[c, y·Stride + i − Top, x·Stride + j − Left] for kernel element (c, i, j).
/// </summary>
internal readonly record struct ConvolutionGeometry(int Channels, int Height, int Width, int KernelHeight, int KernelWidth, int Stride,
    int Top, int Left, int OutputHeight, int OutputWidth)
{
    /// <summary>Values of one sample's image.</summary>
    public int ImageSize => Channels * Height * Width;

    /// <summary>Rows of the column matrix, one per kernel element (c, i, j).</summary>
    public int Patch => Channels * KernelHeight * KernelWidth;

    /// <summary>Output positions of one sample: the columns it fills.</summary>
    public int Positions => OutputHeight * OutputWidth;

    /// <summary>Rows of the zero-padded image that some window reads.</summary>
    public int PaddedHeight => (OutputHeight - 1) * Stride + KernelHeight;

    /// <summary>Columns of the zero-padded image that some window reads.</summary>
    public int PaddedWidth => (OutputWidth - 1) * Stride + KernelWidth;

    /// <summary>Values of the zero-padded image, all channels.</summary>
    public int PaddedSize => Channels * PaddedHeight * PaddedWidth;
}
