namespace Engine.Kernels.Reference;

/// <summary>
/// The naive twin of <see cref="Kernels.ImageColumns"/>: im2col and col2im written straight from their definitions, one bounds
/// test per value. The exhaustive-shape test holds the optimized kernels to it bit for bit.
/// </summary>
internal static class NaiveImageColumns
{
    /// <summary>cols[(c, i, j), offset + y·ow + x] = in[c, y·s + i − top, x·s + j − left], or 0 in the padding.</summary>
    /// <param name="image">One sample, <c>[Channels, Height, Width]</c>.</param>
    /// <param name="shape">The convolution.</param>
    /// <param name="columns">The column matrix, <see cref="ConvolutionGeometry.Patch"/> rows of <paramref name="rowStride"/>.</param>
    /// <param name="rowStride">Columns of the whole matrix (all samples of the batch).</param>
    /// <param name="columnOffset">The sample's first column.</param>
    public static void ImageToColumns(ReadOnlySpan<double> image, in ConvolutionGeometry shape, Span<double> columns, int rowStride, int columnOffset)
    {
        var (channels, height, width) = (shape.Channels, shape.Height, shape.Width);
        for (int c = 0, row = 0; c < channels; c++)
            for (int i = 0; i < shape.KernelHeight; i++)
                for (int j = 0; j < shape.KernelWidth; j++, row++)
                    for (int y = 0; y < shape.OutputHeight; y++)
                        for (int x = 0; x < shape.OutputWidth; x++)
                        {
                            int sourceY = y * shape.Stride + i - shape.Top, sourceX = x * shape.Stride + j - shape.Left;
                            columns[row * rowStride + columnOffset + y * shape.OutputWidth + x] =
                                sourceY >= 0 && sourceY < height && sourceX >= 0 && sourceX < width ? image[(c * height + sourceY) * width + sourceX] : 0.0;
                        }
    }

    /// <summary>The adjoint of <see cref="ImageToColumns"/>: the image is cleared, then each column entry is added to the pixel it was read from.</summary>
    /// <param name="columns">The column matrix, as <see cref="ImageToColumns"/> lays it out.</param>
    /// <param name="rowStride">Columns of the whole matrix.</param>
    /// <param name="columnOffset">The sample's first column.</param>
    /// <param name="shape">The convolution.</param>
    /// <param name="image">Receives the sample's image, <c>[Channels, Height, Width]</c>.</param>
    public static void ColumnsToImage(ReadOnlySpan<double> columns, int rowStride, int columnOffset, in ConvolutionGeometry shape, Span<double> image)
    {
        var (channels, height, width) = (shape.Channels, shape.Height, shape.Width);
        image[..(channels * height * width)].Clear();
        for (int c = 0, row = 0; c < channels; c++)
            for (int i = 0; i < shape.KernelHeight; i++)
                for (int j = 0; j < shape.KernelWidth; j++, row++)
                    for (int y = 0; y < shape.OutputHeight; y++)
                        for (int x = 0; x < shape.OutputWidth; x++)
                        {
                            int targetY = y * shape.Stride + i - shape.Top, targetX = x * shape.Stride + j - shape.Left;
                            if (targetY >= 0 && targetY < height && targetX >= 0 && targetX < width)
                                image[(c * height + targetY) * width + targetX] += columns[row * rowStride + columnOffset + y * shape.OutputWidth + x];
                        }
    }
}
