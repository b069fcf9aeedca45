using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Engine.Kernels;

/// <summary>
/// im2col and its adjoint col2im for one sample of a batch, or for a range of its samples. A sample fills its own block of
/// columns of a column matrix that the whole batch shares: row (c, i, j) holds in[c, y·s + i − top, x·s + j − left] at column
/// <c>offset + y·ow + x</c> (0 in the padding), so that one product of the kernels with the matrix convolves every sample of
/// the batch (<see cref="Networks.Conv2D"/>).
/// </summary>
/// <remarks>
/// Both kernels first pad: the image is copied into a zero-bordered plane per channel, so that every window reads inside it and
/// a row of the column matrix is, per output row, a run of ow pixels with no bounds test — contiguous when the stride is 1, a
/// vector copy. col2im adds into a padded gradient pixel by pixel in the order of its naive twin, <see cref="Reference.NaiveImageColumns"/>,
/// so the two agree bit for bit.
/// </remarks>
internal static class ImageColumns
{
    private static int Lanes => Vector<double>.Count;

    [ThreadStatic] private static double[]? paddedPlanes;

    /// <summary><see cref="ImageToColumns(ReadOnlySpan{double}, in ConvolutionGeometry, Span{double}, Span{double}, int, int)"/> for
    /// samples [<paramref name="start"/>, <paramref name="end"/>) of a batch, sample b into columns [b·Positions, (b + 1)·Positions),
    /// through this thread's padded planes.</summary>
    /// <param name="images">The batch, samples of <c>[Channels, Height, Width]</c>.</param>
    /// <param name="start">The first sample.</param>
    /// <param name="end">One past the last sample.</param>
    /// <param name="shape">The convolution.</param>
    /// <param name="columns">The column matrix, <see cref="ConvolutionGeometry.Patch"/> rows of <paramref name="rowStride"/>.</param>
    /// <param name="rowStride">Columns of the matrix, at least end·Positions.</param>
    public static void ImagesToColumns(ReadOnlySpan<double> images, int start, int end, in ConvolutionGeometry shape, Span<double> columns, int rowStride)
    {
        CheckBatch(images.Length, end, shape, columns.Length, rowStride);
        var scratch = Scratch(shape.PaddedSize);
        for (int b = start; b < end; b++)
            ImageToColumns(images.Slice(b * shape.ImageSize, shape.ImageSize), shape, scratch, columns, rowStride, b * shape.Positions);
    }

    /// <summary><see cref="ColumnsToImage(ReadOnlySpan{double}, int, int, in ConvolutionGeometry, Span{double}, Span{double})"/> for
    /// samples [<paramref name="start"/>, <paramref name="end"/>) of a batch, sample b from columns [b·Positions, (b + 1)·Positions),
    /// through this thread's padded planes.</summary>
    /// <param name="columns">The column matrix.</param>
    /// <param name="rowStride">Columns of the matrix, at least end·Positions.</param>
    /// <param name="start">The first sample.</param>
    /// <param name="end">One past the last sample.</param>
    /// <param name="shape">The convolution.</param>
    /// <param name="images">Receives the samples' image gradients.</param>
    public static void ColumnsToImages(ReadOnlySpan<double> columns, int rowStride, int start, int end, in ConvolutionGeometry shape, Span<double> images)
    {
        CheckBatch(images.Length, end, shape, columns.Length, rowStride);
        var scratch = Scratch(shape.PaddedSize);
        for (int b = start; b < end; b++)
            ColumnsToImage(columns, rowStride, b * shape.Positions, shape, scratch, images.Slice(b * shape.ImageSize, shape.ImageSize));
    }

    /// <summary>Checks that the images hold at least <paramref name="samples"/> samples and the matrix their columns.</summary>
    private static void CheckBatch(int imagesLength, int samples, in ConvolutionGeometry shape, int columnsLength, int rowStride)
    {
        Guard.Matrix(imagesLength, samples, shape.ImageSize, "images");
        Guard.Matrix(columnsLength, shape.Patch, rowStride, "columns");
        Guard.RowStride(rowStride, samples, shape.Positions);
    }

    /// <summary>This thread's padded planes, grown to <paramref name="length"/> on first use.</summary>
    private static Span<double> Scratch(int length)
    {
        if (paddedPlanes is null || paddedPlanes.Length < length) paddedPlanes = new double[length];
        return paddedPlanes.AsSpan(0, length);
    }

    /// <summary>cols[(c, i, j), offset + y·ow + x] = in[c, y·s + i − top, x·s + j − left], or 0 in the padding.</summary>
    /// <param name="image">One sample, <c>[Channels, Height, Width]</c>.</param>
    /// <param name="shape">The convolution.</param>
    /// <param name="padded">Scratch of at least <see cref="ConvolutionGeometry.PaddedSize"/> values.</param>
    /// <param name="columns">The column matrix, <see cref="ConvolutionGeometry.Patch"/> rows of <paramref name="rowStride"/>.</param>
    /// <param name="rowStride">Columns of the whole matrix (all samples of the batch).</param>
    /// <param name="columnOffset">The sample's first column.</param>
    public static void ImageToColumns(ReadOnlySpan<double> image, in ConvolutionGeometry shape, Span<double> padded, Span<double> columns,
        int rowStride, int columnOffset)
    {
        Pad(image, shape, padded);
        var (channels, kernelHeight, kernelWidth, stride) = (shape.Channels, shape.KernelHeight, shape.KernelWidth, shape.Stride);
        var (outputHeight, outputWidth, paddedHeight, paddedWidth) = (shape.OutputHeight, shape.OutputWidth, shape.PaddedHeight, shape.PaddedWidth);
        ref double source = ref MemoryMarshal.GetReference(padded);
        for (int c = 0, row = 0; c < channels; c++)
            for (int i = 0; i < kernelHeight; i++)
                for (int j = 0; j < kernelWidth; j++, row++)
                {
                    ref double target = ref MemoryMarshal.GetReference(columns.Slice(row * rowStride + columnOffset, outputHeight * outputWidth));
                    for (int y = 0; y < outputHeight; y++)
                        Copy(ref Unsafe.Add(ref source, (c * paddedHeight + y * stride + i) * paddedWidth + j), stride,
                            ref Unsafe.Add(ref target, y * outputWidth), outputWidth);
                }
    }

    /// <summary>The adjoint of <see cref="ImageToColumns(ReadOnlySpan{double}, in ConvolutionGeometry, Span{double}, Span{double}, int, int)"/>: each column entry is added back to the pixel it was read from.</summary>
    /// <param name="columns">The column matrix, laid out as <see cref="ImageToColumns(ReadOnlySpan{double}, in ConvolutionGeometry, Span{double}, Span{double}, int, int)"/> writes it.</param>
    /// <param name="rowStride">Columns of the whole matrix.</param>
    /// <param name="columnOffset">The sample's first column.</param>
    /// <param name="shape">The convolution.</param>
    /// <param name="padded">Scratch of at least <see cref="ConvolutionGeometry.PaddedSize"/> values.</param>
    /// <param name="image">Receives the sample's image gradient, <c>[Channels, Height, Width]</c>.</param>
    public static void ColumnsToImage(ReadOnlySpan<double> columns, int rowStride, int columnOffset, in ConvolutionGeometry shape,
        Span<double> padded, Span<double> image)
    {
        var (channels, kernelHeight, kernelWidth, stride) = (shape.Channels, shape.KernelHeight, shape.KernelWidth, shape.Stride);
        var (outputHeight, outputWidth, paddedHeight, paddedWidth) = (shape.OutputHeight, shape.OutputWidth, shape.PaddedHeight, shape.PaddedWidth);
        padded = padded[..shape.PaddedSize];
        padded.Clear();
        ref double target = ref MemoryMarshal.GetReference(padded);
        for (int c = 0, row = 0; c < channels; c++)
            for (int i = 0; i < kernelHeight; i++)
                for (int j = 0; j < kernelWidth; j++, row++)
                {
                    ref double source = ref MemoryMarshal.GetReference(columns.Slice(row * rowStride + columnOffset, outputHeight * outputWidth));
                    for (int y = 0; y < outputHeight; y++)
                        Add(ref Unsafe.Add(ref source, y * outputWidth), ref Unsafe.Add(ref target, (c * paddedHeight + y * stride + i) * paddedWidth + j),
                            stride, outputWidth);
                }
        Unpad(padded, shape, image);
    }

    /// <summary>Copies the image into the padded planes, zero elsewhere; pixels no window reads are left out.</summary>
    private static void Pad(ReadOnlySpan<double> image, in ConvolutionGeometry shape, Span<double> padded)
    {
        padded = padded[..shape.PaddedSize];
        padded.Clear();
        int paddedHeight = shape.PaddedHeight, paddedWidth = shape.PaddedWidth, rows = Math.Min(shape.Height, paddedHeight - shape.Top);
        int width = Math.Min(shape.Width, paddedWidth - shape.Left);
        if (width <= 0) return;
        for (int c = 0; c < shape.Channels; c++)
            for (int r = 0; r < rows; r++)
                image.Slice((c * shape.Height + r) * shape.Width, width).CopyTo(padded.Slice((c * paddedHeight + r + shape.Top) * paddedWidth + shape.Left));
    }

    /// <summary>The image's pixels out of the padded planes; pixels no window reads get 0.</summary>
    private static void Unpad(ReadOnlySpan<double> padded, in ConvolutionGeometry shape, Span<double> image)
    {
        image = image[..shape.ImageSize];
        image.Clear();
        int paddedHeight = shape.PaddedHeight, paddedWidth = shape.PaddedWidth, rows = Math.Min(shape.Height, paddedHeight - shape.Top);
        int width = Math.Min(shape.Width, paddedWidth - shape.Left);
        if (width <= 0) return;
        for (int c = 0; c < shape.Channels; c++)
            for (int r = 0; r < rows; r++)
                padded.Slice((c * paddedHeight + r + shape.Top) * paddedWidth + shape.Left, width).CopyTo(image.Slice((c * shape.Height + r) * shape.Width));
    }

    /// <summary><c>to[x] = from[x·stride]</c> for x &lt; count: vectors when the run is contiguous.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Copy(ref double from, int stride, ref double to, int count)
    {
        int x = 0;
        if (stride == 1)
            for (; x + Lanes <= count; x += Lanes) Vector.LoadUnsafe(ref from, (nuint)x).StoreUnsafe(ref to, (nuint)x);
        for (; x < count; x++) Unsafe.Add(ref to, x) = Unsafe.Add(ref from, x * stride);
    }

    /// <summary><c>to[x·stride] += from[x]</c> for x &lt; count: vectors when the run is contiguous.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Add(ref double from, ref double to, int stride, int count)
    {
        int x = 0;
        if (stride == 1)
            for (; x + Lanes <= count; x += Lanes)
                (Vector.LoadUnsafe(ref to, (nuint)x) + Vector.LoadUnsafe(ref from, (nuint)x)).StoreUnsafe(ref to, (nuint)x);
        for (; x < count; x++) Unsafe.Add(ref to, x * stride) += Unsafe.Add(ref from, x);
    }
}
