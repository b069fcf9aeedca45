using BenchmarkDotNet.Attributes;
using Engine.Activations;
using Engine.Kernels;
using Engine.Losses;
using Engine.Networks;

namespace Engine.Benchmarks;

/// <summary>
/// The passes of a training step, one at a time, for the workloads of <see cref="Training"/> whose epochs hold more than
/// products: the second convolution of the CNN at batch 32 (16 → 32 channels, 3 × 3, 'same', on 8 × 8 images: its im2col,
/// three products, col2im, layout copies, the two passes that fuse them as the layer runs them, and the max pooling after it) and the first layer of W1 [784 → 16] for one sample
/// (its forward product, weight gradient and SGD update, each one pass over the layer's 100 KiB of weights or gradient, and the
/// update and next forward product that per-sample training fuses into one pass) and
/// for a batch of 32 (its two products, and the softmax and loss of the output layer, whose exponentials are scalar).
/// </summary>
public class TrainingPasses
{
    /// <summary>Threads the passes may use (<see cref="Layer.Threads"/>).</summary>
    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    private const int Batch = 32, Positions = 64, Channels = 16, Kernels = 32, Patch = Channels * 9;
    private static readonly ConvolutionGeometry Convolution = new(Channels, 8, 8, 3, 3, 1, 1, 1, 8, 8);
    private static readonly int Width = MatrixProducts.LeadingDimension(Batch * Positions);

    /// <summary>Floating-point operations of a pass that is a product (2 per multiply-add), 0 for the others.</summary>
    public static double Flops(string method) => method switch
    {
        nameof(ConvolutionForward) or nameof(ConvolutionKernelGradient) or nameof(ConvolutionInputGradient) or nameof(ConvolutionForwardPass)
            or nameof(ConvolutionInputGradientPass) => 2.0 * Kernels * Patch * Width,
        nameof(SampleForward) or nameof(SampleWeightGradient) or nameof(SampleUpdateThenForward) => 2.0 * 784 * 16,
        nameof(BatchForward) or nameof(BatchWeightGradient) => 2.0 * Batch * 784 * 16,
        _ => 0,
    };

    private double[] images = [], columns = [], kernels = [], channelMajor = [], samples = [], bias = [], kernelGradient = [], poolGradient = [];
    private double[] weights = [], weightGradient = [], input = [], z = [], delta = [];
    private double[] inputs = [], zs = [], deltas = [], logits = [], probabilities = [], labels = [];
    private readonly Softmax softmax = new();
    private readonly SparseCategoricalCrossEntropy loss = new();
    private MaxPool2D pool = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(5);
        double[] Fill(int n) => Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        images = Fill(Batch * Channels * Positions);
        columns = new double[Patch * Width];
        kernels = Fill(Kernels * Patch);
        channelMajor = Fill(Kernels * Width);
        samples = Fill(Batch * Kernels * Positions);
        bias = Fill(Kernels);
        kernelGradient = new double[Patch * Kernels];
        pool = new MaxPool2D(new ImageShape(Kernels, 8, 8), 2) { Threads = Threads };
        pool.Forward(samples, Batch);
        poolGradient = new double[samples.Length];
        weights = Fill(16 * 784);
        weightGradient = Fill(16 * 784);
        input = Fill(784);
        z = new double[16];
        delta = Fill(16);
        inputs = Fill(Batch * 784);
        zs = new double[Batch * 16];
        deltas = Fill(Batch * 16);
        logits = Fill(Batch * 10);
        probabilities = new double[Batch * 10];
        labels = Enumerable.Range(0, Batch).Select(i => (double)(i % 10)).ToArray();
        ImageColumns.ImagesToColumns(images, 0, Batch, Convolution, columns, Width);
    }

    [Benchmark(Description = "CNN conv2: im2col (one thread)")]
    public void ConvolutionColumns() => ImageColumns.ImagesToColumns(images, 0, Batch, Convolution, columns, Width);

    [Benchmark(Description = "CNN conv2: forward K·cols")]
    public void ConvolutionForward() => MatrixProducts.Multiply(kernels, columns, channelMajor, Kernels, Width, Patch, threads: Threads);

    [Benchmark(Description = "CNN conv2: layout to samples, plus bias (one thread)")]
    public void ConvolutionToSamples() => ChannelLayout.ToSamples(channelMajor, Width, bias, Positions, samples, 0, Batch);

    [Benchmark(Description = "CNN conv2: forward pass fused per range of samples (im2col, K·cols, layout plus bias)")]
    public void ConvolutionForwardPass() =>
        ConvolutionPasses.Forward(images, Batch, Convolution, kernels, bias, columns, Width, channelMajor, samples, Threads);

    [Benchmark(Description = "CNN conv2: layout to channels (one thread)")]
    public void ConvolutionToChannels() => ChannelLayout.ToChannels(samples, Batch, Kernels, Positions, channelMajor, Width, 0, Kernels);

    [Benchmark(Description = "CNN conv2: kernel gradient cols·δᵀ")]
    public void ConvolutionKernelGradient() =>
        MatrixProducts.MultiplyTransposedB(columns, channelMajor, kernelGradient, Patch, Kernels, Width, 1.0 / Batch, threads: Threads);

    [Benchmark(Description = "CNN conv2: input gradient Kᵀ·δ")]
    public void ConvolutionInputGradient() => MatrixProducts.MultiplyTransposedA(kernels, channelMajor, columns, Patch, Width, Kernels, threads: Threads);

    [Benchmark(Description = "CNN conv2: col2im (one thread)")]
    public void ConvolutionImages() => ImageColumns.ColumnsToImages(columns, Width, 0, Batch, Convolution, images);

    [Benchmark(Description = "CNN conv2: input gradient fused per range of samples (Kᵀ·δ, col2im)")]
    public void ConvolutionInputGradientPass() =>
        ConvolutionPasses.InputGradient(kernels, channelMajor, Kernels, columns, Width, Batch, Convolution, images, Threads);

    [Benchmark(Description = "CNN max pool: forward")]
    public void PoolForward() => pool.Forward(samples, Batch);

    [Benchmark(Description = "CNN max pool: backward")]
    public void PoolBackward() => pool.Backward(samples, pool.Outputs, poolGradient);

    [Benchmark(Description = "W1 layer 1, one sample: forward W·x (reads W)")]
    public void SampleForward() => MatrixProducts.MultiplyTransposedB(input, weights, z, 1, 16, 784, threads: Threads);

    [Benchmark(Description = "W1 layer 1, one sample: weight gradient δ·xᵀ (writes ∂W)")]
    public void SampleWeightGradient() => RowProducts.Outer(delta, input, weightGradient, 1.0);

    [Benchmark(Description = "W1 layer 1: SGD update W −= η·∂W (reads ∂W and W, writes W)")]
    public void SampleUpdate() => VectorOps.ScaledAdd(weightGradient, -1e-9, weights);

    [Benchmark(Description = "W1 layer 1: per-sample SGD update and the next sample's forward W·x in one pass (reads and writes W)")]
    public void SampleUpdateThenForward() => RowProducts.UpdateThenForward(delta, input, 1e-9, weights, input, z);

    [Benchmark(Description = "W1 layer 1, batch 32: forward X·Wᵀ")]
    public void BatchForward() => MatrixProducts.MultiplyTransposedB(inputs, weights, zs, Batch, 16, 784, threads: Threads);

    [Benchmark(Description = "W1 layer 1, batch 32: weight gradient δᵀ·X")]
    public void BatchWeightGradient() => MatrixProducts.MultiplyTransposedA(deltas, inputs, weightGradient, 16, 784, Batch, 1.0 / Batch, threads: Threads);

    [Benchmark(Description = "W1 output layer, batch 32: softmax")]
    public void OutputSoftmax() => softmax.Forward(logits, probabilities, 10);

    [Benchmark(Description = "W1 output layer, batch 32: sparse-cce from the logits")]
    public double OutputLoss()
    {
        double sum = 0;
        for (int i = 0; i < Batch; i++) sum += loss.ValueFromLogits(logits.AsSpan(i * 10, 10), labels.AsSpan(i, 1));
        return sum;
    }
}
