using BenchmarkDotNet.Attributes;
using Engine.Kernels;
using MathNet.Numerics.LinearAlgebra;

namespace Engine.Benchmarks;

/// <summary>
/// The three products of a [784 → 256] layer at batch 128: forward (128×784)·(256×784)ᵀ, backward (128×256)·(256×784) and the
/// weight gradient (128×256)ᵀ·(128×784), each 2·128·784·256 = 51.4 MFLOP; baselines: MathNet's managed provider and a naive loop.
/// </summary>
public class Products
{
    public const int Batch = 128, Inputs = 784, Outputs = 256;
    public static double Flops => 2.0 * Batch * Inputs * Outputs;

    /// <summary>Threads the engine's products may use (<see cref="MatrixProducts.ThreadCount"/>); the baselines use one.</summary>
    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    private double[] activations = [], weights = [], deltas = [], z = [], previous = [], gradient = [];
    private Matrix<double> mathA = null!, mathW = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        double[] Fill(int n) => Enumerable.Range(0, n).Select(_ => random.NextDouble() - 0.5).ToArray();
        activations = Fill(Batch * Inputs);
        weights = Fill(Outputs * Inputs);
        deltas = Fill(Batch * Outputs);
        z = new double[Batch * Outputs];
        previous = new double[Batch * Inputs];
        gradient = new double[Outputs * Inputs];
        MatrixProducts.ThreadCount = Threads;
        MathNet.Numerics.Control.UseManaged();
        mathA = Matrix<double>.Build.DenseOfRowMajor(Batch, Inputs, activations);
        mathW = Matrix<double>.Build.DenseOfRowMajor(Outputs, Inputs, weights);
    }

    [Benchmark(Description = "engine: forward A·Wᵀ")]
    public void Forward() => MatrixProducts.MultiplyTransposedB(activations, weights, z, Batch, Outputs, Inputs);

    [Benchmark(Description = "engine: backward δ·W")]
    public void Backward() => MatrixProducts.Multiply(deltas, weights, previous, Batch, Inputs, Outputs);

    [Benchmark(Description = "engine: weight gradient δᵀ·A")]
    public void WeightGradient() => MatrixProducts.MultiplyTransposedA(deltas, activations, gradient, Outputs, Inputs, Batch);

    [Benchmark(Description = "MathNet managed: forward A·Wᵀ")]
    public Matrix<double> MathNetForward() => mathA.TransposeAndMultiply(mathW);

    [Benchmark(Description = "naive triple loop: forward A·Wᵀ")]
    public void NaiveForward()
    {
        for (int i = 0; i < Batch; i++)
            for (int j = 0; j < Outputs; j++)
            {
                double sum = 0;
                for (int k = 0; k < Inputs; k++) sum += activations[i * Inputs + k] * weights[j * Inputs + k];
                z[i * Outputs + j] = sum;
            }
    }
}
