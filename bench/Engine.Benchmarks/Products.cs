using BenchmarkDotNet.Attributes;
using Engine.Kernels;
using Engine.Kernels.Reference;
using MathNet.Numerics.LinearAlgebra;

namespace Engine.Benchmarks;

/// <summary>
/// The three products of a [784 → 256] layer at batch 128: forward (128×784)·(256×784)ᵀ, backward (128×256)·(256×784) and the
/// weight gradient (128×256)ᵀ·(128×784), each 2·128·784·256 = 51.4 MFLOP, on one and two threads.
/// </summary>
public class Products
{
    public const int Batch = 128, Inputs = 784, Outputs = 256;
    public static double Flops => 2.0 * Batch * Inputs * Outputs;

    /// <summary>Threads the products may use (the products' <c>threads</c> argument).</summary>
    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    /// <summary>The operands and results, filled from a fixed seed.</summary>
    internal double[] Activations = [], Weights = [], Deltas = [], Z = [], Previous = [], Gradient = [];

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        double[] Fill(int n) => Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        Activations = Fill(Batch * Inputs);
        Weights = Fill(Outputs * Inputs);
        Deltas = Fill(Batch * Outputs);
        Z = new double[Batch * Outputs];
        Previous = new double[Batch * Inputs];
        Gradient = new double[Outputs * Inputs];
    }

    [Benchmark(Description = "engine: forward A·Wᵀ")]
    public void Forward() => MatrixProducts.MultiplyTransposedB(Activations, Weights, Z, Batch, Outputs, Inputs, threads: Threads);

    [Benchmark(Description = "engine: backward δ·W")]
    public void Backward() => MatrixProducts.Multiply(Deltas, Weights, Previous, Batch, Inputs, Outputs, threads: Threads);

    [Benchmark(Description = "engine: weight gradient δᵀ·A")]
    public void WeightGradient() => MatrixProducts.MultiplyTransposedA(Deltas, Activations, Gradient, Outputs, Inputs, Batch, threads: Threads);
}

/// <summary>Baselines for <see cref="Products"/> on the same operands: MathNet's managed provider (one thread) and the forward product's naive twin.</summary>
public class ProductBaselines
{
    private readonly Products data = new();
    private Matrix<double> activations = null!, weights = null!, deltas = null!;

    [GlobalSetup]
    public void Setup()
    {
        data.Setup();
        MathNet.Numerics.Control.UseManaged();
        MathNet.Numerics.Control.UseSingleThread();
        activations = Matrix<double>.Build.DenseOfRowMajor(Products.Batch, Products.Inputs, data.Activations);
        weights = Matrix<double>.Build.DenseOfRowMajor(Products.Outputs, Products.Inputs, data.Weights);
        deltas = Matrix<double>.Build.DenseOfRowMajor(Products.Batch, Products.Outputs, data.Deltas);
    }

    [Benchmark(Description = "MathNet managed: forward A·Wᵀ")]
    public Matrix<double> MathNetForward() => activations.TransposeAndMultiply(weights);

    [Benchmark(Description = "MathNet managed: backward δ·W")]
    public Matrix<double> MathNetBackward() => deltas * weights;

    [Benchmark(Description = "MathNet managed: weight gradient δᵀ·A")]
    public Matrix<double> MathNetWeightGradient() => deltas.TransposeThisAndMultiply(activations);

    [Benchmark(Description = "naive twin: forward A·Wᵀ")]
    public void NaiveForward() =>
        NaiveProducts.MultiplyTransposedB(data.Activations, data.Weights, data.Z, Products.Batch, Products.Outputs, Products.Inputs);
}
