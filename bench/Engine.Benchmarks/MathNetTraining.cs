using BenchmarkDotNet.Attributes;
using MathNet.Numerics.LinearAlgebra;

namespace Engine.Benchmarks;

/// <summary>
/// Baseline: the dense workloads of <see cref="Training"/> written with MathNet.Numerics' dense matrices (managed provider,
/// one thread): the same products, activations, softmax + cross-entropy gradient and SGD update, one epoch.
/// </summary>
public class MathNetTraining
{
    /// <summary>The dense workloads of <see cref="Training"/>.</summary>
    [Params("W1 batch 1", "W1 batch 32", "W2 batch 128")]
    public string Workload { get; set; } = "";

    private Matrix<double>[] weights = [];
    private Vector<double>[] biases = [];
    private readonly List<(Matrix<double> X, int[] Labels)> batches = [];
    private bool relu;

    [GlobalSetup]
    public void Setup()
    {
        MathNet.Numerics.Control.UseManaged();
        MathNet.Numerics.Control.UseSingleThread();
        var (network, batch, samples) = Training.Create(Workload);
        relu = Workload.StartsWith("W2");
        var widths = new List<int> { network.InputSize };
        widths.AddRange(network.Layers.Select(l => l.OutputSize));
        var random = new Random(3);
        weights = [.. Enumerable.Range(1, widths.Count - 1).Select(l =>
            Matrix<double>.Build.Dense(widths[l], widths[l - 1], (_, _) => (random.NextDouble() - 0.5) * Math.Sqrt(6.0 / widths[l - 1])))];
        biases = [.. Enumerable.Range(1, widths.Count - 1).Select(l => Vector<double>.Build.Dense(widths[l]))];
        for (int start = 0; start + batch <= samples; start += batch)
            batches.Add((Matrix<double>.Build.Dense(batch, network.InputSize, (_, _) => random.NextDouble()),
                Enumerable.Range(0, batch).Select(_ => random.Next(10)).ToArray()));
    }

    [Benchmark(Description = "MathNet managed: one epoch")]
    public void Epoch()
    {
        foreach (var (x, labels) in batches) Step(x, labels, 0.01);
    }

    private void Step(Matrix<double> x, int[] labels, double learningRate)
    {
        int layers = weights.Length, batch = x.RowCount;
        var activations = new Matrix<double>[layers + 1];
        var sums = new Matrix<double>[layers];
        activations[0] = x;
        for (int l = 0; l < layers; l++)
        {
            var z = activations[l].TransposeAndMultiply(weights[l]);
            var bias = biases[l];
            z.MapIndexedInplace((_, j, v) => v + bias[j]);
            sums[l] = z;
            activations[l + 1] = l == layers - 1 ? Softmax(z) : z.Map(Hidden);
        }
        // Softmax with cross-entropy: δ = (a − onehot(y)) / batch (BP1); then BP2 down the layers, BP3 and BP4 per layer.
        var delta = activations[layers].Clone();
        for (int i = 0; i < batch; i++) delta[i, labels[i]] -= 1;
        delta = delta.Divide(batch);
        for (int l = layers - 1; l >= 0; l--)
        {
            var weightGradient = delta.TransposeThisAndMultiply(activations[l]);
            var biasGradient = delta.ColumnSums();
            if (l > 0) delta = (delta * weights[l]).PointwiseMultiply(sums[l - 1].Map(HiddenDerivative));
            weights[l] = weights[l] - weightGradient.Multiply(learningRate);
            biases[l] = biases[l] - biasGradient.Multiply(learningRate);
        }
    }

    private double Hidden(double z) => relu ? Math.Max(0, z) : 1 / (1 + Math.Exp(-z));

    private double HiddenDerivative(double z)
    {
        if (relu) return z > 0 ? 1 : 0;
        double s = 1 / (1 + Math.Exp(-z));
        return s * (1 - s);
    }

    private static Matrix<double> Softmax(Matrix<double> z)
    {
        var result = z.Clone();
        for (int i = 0; i < z.RowCount; i++)
        {
            var row = z.Row(i);
            double max = row.Maximum();
            var e = row.Map(v => Math.Exp(v - max));
            result.SetRow(i, e.Divide(e.Sum()));
        }
        return result;
    }
}
