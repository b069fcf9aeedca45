namespace Engine.Kernels;

/// <summary>
/// A convolution's passes over a batch, fused per range of samples. Forward: im2col of the samples, their columns of the product
/// Z = K·cols, and those columns back into the layer's layout plus the bias. Backward (BP2): their columns of ∂cols = Kᵀ·δ, and
/// col2im. A range's columns are used while they are in cache, and a batch wakes the workers once per fused pass instead of once
/// per pass. Each step is the kernel the passes would run one after another over the whole batch (<see cref="ImageColumns"/>,
/// <see cref="PackedProduct"/>, <see cref="ChannelLayout"/>), and a product's output does not depend on the columns computed with
/// it, so the result is theirs bit for bit, for any range and thread count.
/// </summary>
internal static unsafe class ConvolutionPasses
{
    /// <summary>Values of the column matrix a thread fills and uses before it moves on: 256 KiB, a quarter of L2.</summary>
    private const int ColumnsInCache = 1 << 15;

    /// <summary>z = layout(K·im2col(images)) + bias: the forward pass of <see cref="Networks.Conv2D"/>.</summary>
    /// <param name="images">The batch, <c>[batch, Channels, Height, Width]</c>.</param>
    /// <param name="batch">Samples.</param>
    /// <param name="shape">The convolution.</param>
    /// <param name="kernels">K, <c>[outChannels, Patch]</c>.</param>
    /// <param name="bias">One value per output channel.</param>
    /// <param name="columns">Receives the column matrix, Patch rows of <paramref name="rowStride"/>; columns past batch·Positions are left as they are.</param>
    /// <param name="rowStride">Columns of the matrices, at least batch·Positions.</param>
    /// <param name="product">Receives Z channel-major, outChannels rows of <paramref name="rowStride"/>.</param>
    /// <param name="z">Receives z, <c>[batch, outChannels, Positions]</c>.</param>
    /// <param name="threads">Threads the passes may use, the caller's included.</param>
    public static void Forward(ReadOnlySpan<double> images, int batch, in ConvolutionGeometry shape, ReadOnlySpan<double> kernels,
        ReadOnlySpan<double> bias, Span<double> columns, int rowStride, Span<double> product, Span<double> z, int threads)
    {
        int outChannels = bias.Length;
        Check(images.Length, batch, shape, kernels.Length, outChannels, columns.Length, nameof(columns), rowStride);
        Guard.Matrix(product.Length, outChannels, rowStride, nameof(product));
        Guard.Matrix(z.Length, batch, outChannels * shape.Positions, nameof(z));
        fixed (double* image = images, k = kernels, b = bias, cols = columns, c = product, target = z)
        {
            var work = new Forwards(new(image, images.Length), new(k, kernels.Length), new(b, bias.Length), new(cols, columns.Length),
                new(c, product.Length), new(target, z.Length), shape, rowStride, ChunkOf(shape));
            RangeThreads.Run(work, batch, (double)outChannels * shape.Patch * shape.Positions, threads, minimumWork: ProductThreads.MinimumParallelWork);
        }
    }

    /// <summary>∂images = col2im(Kᵀ·δ): the input gradient of <see cref="Networks.Conv2D"/> (BP2).</summary>
    /// <param name="kernels">K, <c>[outChannels, Patch]</c>.</param>
    /// <param name="delta">δ channel-major, outChannels rows of <paramref name="rowStride"/>.</param>
    /// <param name="outChannels">Output channels.</param>
    /// <param name="columnGradient">Receives ∂cols, Patch rows of <paramref name="rowStride"/>.</param>
    /// <param name="rowStride">Columns of the matrices, at least batch·Positions.</param>
    /// <param name="batch">Samples.</param>
    /// <param name="shape">The convolution.</param>
    /// <param name="images">Receives the batch's image gradients, <c>[batch, Channels, Height, Width]</c>.</param>
    /// <param name="threads">Threads the passes may use, the caller's included.</param>
    public static void InputGradient(ReadOnlySpan<double> kernels, ReadOnlySpan<double> delta, int outChannels, Span<double> columnGradient,
        int rowStride, int batch, in ConvolutionGeometry shape, Span<double> images, int threads)
    {
        Check(images.Length, batch, shape, kernels.Length, outChannels, columnGradient.Length, nameof(columnGradient), rowStride);
        Guard.Matrix(delta.Length, outChannels, rowStride, nameof(delta));
        fixed (double* k = kernels, d = delta, cols = columnGradient, image = images)
        {
            var work = new Backwards(new(k, kernels.Length), new(d, delta.Length), outChannels, new(cols, columnGradient.Length),
                new(image, images.Length), shape, rowStride, ChunkOf(shape));
            RangeThreads.Run(work, batch, (double)outChannels * shape.Patch * shape.Positions, threads, minimumWork: ProductThreads.MinimumParallelWork);
        }
    }

    /// <summary>Checks, before any pointer is handed on, that the images hold the batch, K its kernels, and the column matrix
    /// (<paramref name="columnsLength"/>, the argument <paramref name="columnsName"/>) the batch's columns.</summary>
    private static void Check(int imagesLength, int batch, in ConvolutionGeometry shape, int kernelsLength, int outChannels, int columnsLength,
        string columnsName, int rowStride)
    {
        Guard.Matrix(imagesLength, batch, shape.ImageSize, "images");
        Guard.Matrix(kernelsLength, outChannels, shape.Patch, "kernels");
        Guard.Matrix(columnsLength, shape.Patch, rowStride, columnsName);
        Guard.RowStride(rowStride, batch, shape.Positions);
    }

    /// <summary>Samples whose columns fit <see cref="ColumnsInCache"/>, at least one.</summary>
    private static int ChunkOf(in ConvolutionGeometry shape) => Math.Max(1, ColumnsInCache / (shape.Patch * shape.Positions));

    /// <summary>A span pinned by the caller while a run holds it: spans cannot be handed to another thread.</summary>
    private readonly struct Pinned(double* start, int length)
    {
        public Span<double> Span => new(start, length);
        public double* Start => start;
    }

    /// <summary>The forward pass of samples [start, end), a chunk at a time.</summary>
    private readonly struct Forwards(Pinned images, Pinned kernels, Pinned bias, Pinned columns, Pinned product, Pinned z,
        ConvolutionGeometry shape, int rowStride, int chunk) : IRangeWork
    {
        public void Run(int start, int end)
        {
            var task = new ProductTask(new StridedOperand(kernels.Start, shape.Patch, 1), new StridedOperand(columns.Start, rowStride, 1),
                product.Start, bias.Span.Length, rowStride, shape.Patch, 1.0, false);
            for (int first = start; first < end; first += chunk)
            {
                int last = Math.Min(end, first + chunk);
                ImageColumns.ImagesToColumns(images.Span, first, last, shape, columns.Span, rowStride);
                // Z[o, (b, y, x)] = Σ_(c,i,j) K[o, (c, i, j)]·cols[(c, i, j), (b, y, x)] for the chunk's columns.
                PackedProduct.Run(task, first * shape.Positions, last * shape.Positions);
                ChannelLayout.ToSamples(product.Span, rowStride, bias.Span, shape.Positions, z.Span, first, last);
            }
        }
    }

    /// <summary>The input gradient of samples [start, end), a chunk at a time.</summary>
    private readonly struct Backwards(Pinned kernels, Pinned delta, int outChannels, Pinned columnGradient, Pinned images,
        ConvolutionGeometry shape, int rowStride, int chunk) : IRangeWork
    {
        public void Run(int start, int end)
        {
            // ∂cols = Kᵀ·δ: A = K read transposed in place, B = δ's rows in place.
            var task = new ProductTask(new StridedOperand(kernels.Start, 1, shape.Patch), new StridedOperand(delta.Start, rowStride, 1),
                columnGradient.Start, shape.Patch, rowStride, outChannels, 1.0, false);
            for (int first = start; first < end; first += chunk)
            {
                int last = Math.Min(end, first + chunk);
                PackedProduct.Run(task, first * shape.Positions, last * shape.Positions);
                ImageColumns.ColumnsToImages(columnGradient.Span, rowStride, first, last, shape, images.Span);
            }
        }
    }
}
