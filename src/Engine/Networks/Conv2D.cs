using Engine.Activations;
using Engine.Kernels;

namespace Engine.Networks;

/// <summary>
/// A 2-D convolution (cross-correlation, as every framework computes it): z[o, y, x] = b[o] + Σ_{c,i,j} K[o, c, i, j]·in[c, y·s + i − top, x·s + j − left],
/// zero outside the image, then a = σ(z). Input <c>[channels, height, width]</c>, kernels <c>[out, in, kh, kw]</c>, output
/// <c>[out, oh, ow]</c>, all row-major per sample. Computed as im2col + the engine's matrix products: per sample,
/// Z = K·cols (forward), ∂K = (1/batch)·Σ δ·colsᵀ (BP4), ∂cols = Kᵀ·δ then col2im (BP2).
/// </summary>
public sealed class Conv2D : ActivatedLayer
{
    private readonly Parameter weight, bias;
    private readonly int patch, positions;
    private double[] columns = [], columnGradient = [];

    /// <summary>A convolution with zero parameters (set them, or call <see cref="Initialize"/>).</summary>
    /// <param name="input">The input image's shape.</param>
    /// <param name="outChannels">Kernels, i.e. output channels.</param>
    /// <param name="kernelHeight">Kernel rows.</param>
    /// <param name="kernelWidth">Kernel columns.</param>
    /// <param name="stride">Step between windows, in both directions.</param>
    /// <param name="padding">"valid", "same" or an integer p (zero padding p on every side).</param>
    /// <param name="activation">σ.</param>
    public Conv2D(ImageShape input, int outChannels, int kernelHeight, int kernelWidth, int stride, string padding, Activation activation)
        : base(input.Validate(nameof(input)).Size, OutputShapeOf(input, outChannels, kernelHeight, kernelWidth, stride, padding).Size, activation)
    {
        InputShape = input;
        Stride = stride;
        PaddingMode = padding;
        KernelHeight = kernelHeight;
        KernelWidth = kernelWidth;
        Pad = Padding.Resolve(padding, input, (kernelHeight, kernelWidth), stride);
        OutputShape = OutputShapeOf(input, outChannels, kernelHeight, kernelWidth, stride, padding);
        patch = input.Channels * kernelHeight * kernelWidth;
        positions = OutputShape.Height * OutputShape.Width;
        weight = new Parameter("weight", outChannels, input.Channels, kernelHeight, kernelWidth);
        bias = new Parameter("bias", outChannels);
        Parameters = [weight, bias];
    }

    /// <summary>The input image's shape.</summary>
    public ImageShape InputShape { get; }

    /// <summary>The output image's shape.</summary>
    public ImageShape OutputShape { get; }

    /// <summary>Kernel rows.</summary>
    public int KernelHeight { get; }

    /// <summary>Kernel columns.</summary>
    public int KernelWidth { get; }

    /// <summary>Step between windows.</summary>
    public int Stride { get; }

    /// <summary>The padding as given: "valid", "same" or an integer.</summary>
    public string PaddingMode { get; }

    /// <summary>The zero padding on each side.</summary>
    public Padding Pad { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>K, <c>[out, in, kh, kw]</c> row-major.</summary>
    public double[] Kernels => weight.Values;

    /// <summary>One bias per output channel.</summary>
    public double[] Biases => bias.Values;

    /// <summary>∂C/∂K averaged over the batch.</summary>
    public double[] KernelGradient => weight.Gradient;

    /// <summary>∂C/∂b averaged over the batch.</summary>
    public double[] BiasGradient => bias.Gradient;

    /// <summary>The output shape of a convolution, validating its settings.</summary>
    private static ImageShape OutputShapeOf(ImageShape input, int outChannels, int kernelHeight, int kernelWidth, int stride, string padding)
    {
        if (outChannels <= 0) throw new ArgumentOutOfRangeException(nameof(outChannels), outChannels, "outChannels must be positive.");
        if (kernelHeight <= 0 || kernelWidth <= 0)
            throw new ArgumentOutOfRangeException(nameof(kernelHeight), $"The kernel must be at least 1×1, but is {kernelHeight}×{kernelWidth}.");
        if (stride <= 0) throw new ArgumentOutOfRangeException(nameof(stride), stride, "stride must be positive.");
        var pad = Padding.Resolve(padding, input, (kernelHeight, kernelWidth), stride);
        int height = input.Height + pad.Top + pad.Bottom - kernelHeight, width = input.Width + pad.Left + pad.Right - kernelWidth;
        if (height < 0 || width < 0)
            throw new ArgumentException($"A {kernelHeight}×{kernelWidth} kernel does not fit the padded {input} input (padding '{padding}').", nameof(kernelHeight));
        return new ImageShape(outChannels, height / stride + 1, width / stride + 1);
    }

    /// <inheritdoc/>
    public override void Initialize(WeightInitialization scheme, Random random)
    {
        WeightInitializer.Fill(Kernels, scheme, random, patch, OutputShape.Channels * KernelHeight * KernelWidth);
        Array.Clear(Biases);
    }

    /// <inheritdoc/>
    protected override void ComputePreActivations(ReadOnlySpan<double> input, Span<double> z, int batch)
    {
        if (columns.Length < batch * patch * positions) columns = new double[batch * patch * positions];
        int outChannels = OutputShape.Channels;
        for (int b = 0; b < batch; b++)
        {
            var cols = columns.AsSpan(b * patch * positions, patch * positions);
            ImageToColumns(input.Slice(b * InputSize, InputSize), cols);
            var zb = z.Slice(b * OutputSize, OutputSize);
            MatrixProducts.Multiply(Kernels, cols, zb, outChannels, positions, patch, threads: Threads);
            for (int o = 0; o < outChannels; o++) VectorOps.AddScalar(zb.Slice(o * positions, positions), Biases[o]);
        }
    }

    /// <inheritdoc/>
    protected override void BackpropagateDelta(ReadOnlySpan<double> input, Span<double> inputGradient)
    {
        int batch = BatchSize, outChannels = OutputShape.Channels;
        double mean = 1.0 / batch;
        var deltas = Deltas;
        Array.Clear(BiasGradient);
        for (int b = 0; b < batch; b++)
        {
            var delta = deltas.Slice(b * OutputSize, OutputSize);
            var cols = columns.AsSpan(b * patch * positions, patch * positions);
            // BP4: ∂C/∂K = mean over samples of δ·colsᵀ.
            MatrixProducts.MultiplyTransposedB(delta, cols, KernelGradient, outChannels, patch, positions, mean, accumulate: b > 0, threads: Threads);
            // BP3: ∂C/∂b_o = mean over samples of Σ over positions of δ_o.
            for (int o = 0; o < outChannels; o++) BiasGradient[o] += mean * VectorOps.Sum(delta.Slice(o * positions, positions));
            if (inputGradient.IsEmpty) continue;
            // BP2: ∂L/∂cols = Kᵀ·δ, scattered back onto the image.
            if (columnGradient.Length < patch * positions) columnGradient = new double[patch * positions];
            var gradient = columnGradient.AsSpan(0, patch * positions);
            MatrixProducts.MultiplyTransposedA(Kernels, delta, gradient, patch, positions, outChannels, threads: Threads);
            ColumnsToImage(gradient, inputGradient.Slice(b * InputSize, InputSize));
        }
    }

    /// <summary>cols[(c, i, j), (y, x)] = in[c, y·s + i − top, x·s + j − left], or 0 in the padding.</summary>
    private void ImageToColumns(ReadOnlySpan<double> image, Span<double> cols)
    {
        var (channels, height, width) = InputShape;
        int outHeight = OutputShape.Height, outWidth = OutputShape.Width;
        for (int c = 0, row = 0; c < channels; c++)
            for (int i = 0; i < KernelHeight; i++)
                for (int j = 0; j < KernelWidth; j++, row++)
                {
                    var target = cols.Slice(row * positions, positions);
                    for (int y = 0; y < outHeight; y++)
                    {
                        int sourceY = y * Stride + i - Pad.Top;
                        for (int x = 0; x < outWidth; x++)
                        {
                            int sourceX = x * Stride + j - Pad.Left;
                            target[y * outWidth + x] = sourceY >= 0 && sourceY < height && sourceX >= 0 && sourceX < width
                                ? image[(c * height + sourceY) * width + sourceX] : 0.0;
                        }
                    }
                }
    }

    /// <summary>The adjoint of <see cref="ImageToColumns"/>: each column entry is added back to the pixel it was read from.</summary>
    private void ColumnsToImage(ReadOnlySpan<double> cols, Span<double> image)
    {
        image.Clear();
        var (channels, height, width) = InputShape;
        int outHeight = OutputShape.Height, outWidth = OutputShape.Width;
        for (int c = 0, row = 0; c < channels; c++)
            for (int i = 0; i < KernelHeight; i++)
                for (int j = 0; j < KernelWidth; j++, row++)
                {
                    var source = cols.Slice(row * positions, positions);
                    for (int y = 0; y < outHeight; y++)
                    {
                        int targetY = y * Stride + i - Pad.Top;
                        if (targetY < 0 || targetY >= height) continue;
                        for (int x = 0; x < outWidth; x++)
                        {
                            int targetX = x * Stride + j - Pad.Left;
                            if (targetX >= 0 && targetX < width) image[(c * height + targetY) * width + targetX] += source[y * outWidth + x];
                        }
                    }
                }
    }
}
