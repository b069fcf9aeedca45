using Engine.Activations;
using Engine.Kernels;

namespace Engine.Networks;

/// <summary>
/// A 2-D convolution (cross-correlation, as every framework computes it): z[o, y, x] = b[o] + Σ_{c,i,j} K[o, c, i, j]·in[c, y·s + i − top, x·s + j − left],
/// zero outside the image, then a = σ(z). Input <c>[channels, height, width]</c>, kernels <c>[out, in, kh, kw]</c>, output
/// <c>[out, oh, ow]</c>, all row-major per sample. Computed as im2col + the engine's matrix products, one product per batch: the
/// samples' columns side by side in one matrix cols <c>[in·kh·kw, batch·oh·ow]</c>, Z = K·cols (forward), ∂K = (1/batch)·δ·colsᵀ
/// (BP4), ∂cols = Kᵀ·δ then col2im (BP2), with Z and δ channel-major <c>[out, batch·oh·ow]</c> in the products.
/// </summary>
public sealed class Conv2D : ActivatedLayer
{
    private readonly Parameter weight, bias;
    private readonly int patch, positions;
    private readonly ConvolutionGeometry geometry;
    private double[] columns = [], channelMajor = [], columnGradient = [], kernelGradientTransposed = [];

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
        geometry = new ConvolutionGeometry(input.Channels, input.Height, input.Width, kernelHeight, kernelWidth, stride, Pad.Top, Pad.Left,
            OutputShape.Height, OutputShape.Width);
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
    /// <remarks>One fused pass (<see cref="ConvolutionPasses.Forward"/>): im2col, Z = K·cols channel-major, z = Z in the layer's layout plus the bias.</remarks>
    protected override void ComputePreActivations(ReadOnlySpan<double> input, Span<double> z, int batch)
    {
        int outChannels = OutputShape.Channels, used = batch * positions, width = MatrixProducts.LeadingDimension(used);
        var cols = Reserve(ref columns, patch * width);
        for (int row = 0; row < patch; row++) cols.Slice(row * width + used, width - used).Clear();
        var product = Reserve(ref channelMajor, outChannels * width);
        ConvolutionPasses.Forward(input, batch, geometry, Kernels, Biases, cols, width, product, z, Threads);
    }

    /// <inheritdoc/>
    protected override unsafe void BackpropagateDelta(ReadOnlySpan<double> input, Span<double> inputGradient)
    {
        int batch = BatchSize, outChannels = OutputShape.Channels, used = batch * positions, width = MatrixProducts.LeadingDimension(used);
        double mean = 1.0 / batch;
        var cols = columns.AsSpan(0, patch * width);
        // δ in the forward product's channel-major layout, [out, (b, y, x)], and BP3 from it, split over the channels.
        var delta = channelMajor.AsSpan(0, outChannels * width);
        fixed (double* deltas = Deltas, channels = delta, sums = BiasGradient)
            RangeThreads.Run(new ChannelsAndBiases(deltas, batch, outChannels, positions, channels, width, mean, sums), outChannels, batch * positions, Threads);
        // BP4: ∂C/∂K = mean over samples of δ·colsᵀ, one product over the batch's columns. It is computed transposed, as
        // cols·δᵀ, so that the product reads the wide column matrix in place and packs the narrower δ.
        var transposed = Reserve(ref kernelGradientTransposed, patch * outChannels);
        MatrixProducts.MultiplyTransposedB(cols, delta, transposed, patch, outChannels, width, mean, threads: Threads);
        for (int o = 0; o < outChannels; o++)
            for (int p = 0; p < patch; p++) KernelGradient[o * patch + p] = transposed[p * outChannels + o];
        if (inputGradient.IsEmpty) return;
        // BP2: ∂L/∂cols = Kᵀ·δ, scattered back onto each sample's image.
        var gradient = Reserve(ref columnGradient, patch * width);
        ConvolutionPasses.InputGradient(Kernels, delta, outChannels, gradient, width, batch, geometry, inputGradient, Threads);
    }

    /// <summary>
    /// Channels [start, end) of δ copied into the channel-major layout (the columns past the batch's cleared), and their bias
    /// gradient (BP3): ∂C/∂b_o = mean over samples of Σ over positions of δ_o, the samples' sums added in sample order.
    /// </summary>
    private readonly unsafe struct ChannelsAndBiases(double* deltas, int batch, int channels, int positions, double* channelMajor, int rowStride,
        double mean, double* sums) : IRangeWork
    {
        public void Run(int start, int end)
        {
            var samples = new ReadOnlySpan<double>(deltas, batch * channels * positions);
            var rows = new Span<double>(channelMajor, channels * rowStride);
            ChannelLayout.ToChannels(samples, batch, channels, positions, rows, rowStride, start, end);
            int used = batch * positions;
            for (int o = start; o < end; o++)
            {
                var row = rows.Slice(o * rowStride, rowStride);
                row[used..].Clear();
                double sum = 0;
                for (int b = 0; b < batch; b++) sum += mean * VectorOps.Sum(row.Slice(b * positions, positions));
                sums[o] = sum;
            }
        }
    }

    private static Span<double> Reserve(ref double[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new double[length];
        return buffer.AsSpan(0, length);
    }
}
