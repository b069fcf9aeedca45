using BenchmarkDotNet.Attributes;
using Engine.Activations;
using Engine.Losses;
using Engine.Networks;
using Engine.Optimizers;
using Engine.Training;

namespace Engine.Benchmarks;

/// <summary>One epoch of training (forward, backward, SGD update) on random data, on one or two threads.</summary>
public class Training
{
    /// <summary>W1 = the notes' [784, 16, 16, 10] sigmoid network; W2 = [784, 256, 256, 10] ReLU; CNN = `nn train --model cnn` on 8×8 images.</summary>
    [Params("W1 batch 1", "W1 batch 32", "W2 batch 128", "CNN batch 32")]
    public string Workload { get; set; } = "";

    /// <summary>Threads the engine's products may use (<see cref="Network.Threads"/>).</summary>
    [Params(1, 2)]
    public int Threads { get; set; } = 1;

    public const int Samples = 8192;
    public const int CnnSamples = 1024;

    private Network network = null!;
    private OptimizerState sgd = null!;
    private double[] inputs = [], labels = [];
    private int batch;
    private readonly Loss loss = new SparseCategoricalCrossEntropy();

    /// <summary>The network and batch of a workload.</summary>
    public static (Network Network, int Batch, int Samples) Create(string workload)
    {
        Network network = workload switch
        {
            "W1 batch 1" or "W1 batch 32" => Network.Dense([784, 16, 16, 10], new Sigmoid(), new Softmax()),
            "W2 batch 128" => Network.Dense([784, 256, 256, 10], new Relu(), new Softmax()),
            "CNN batch 32" => Cnn(),
            _ => throw new ArgumentException($"Unknown workload {workload}.", nameof(workload)),
        };
        network.Initialize(WeightInitialization.He, 1);
        int batch = int.Parse(workload[(workload.LastIndexOf(' ') + 1)..]);
        return (network, batch, workload.StartsWith("CNN") ? CnnSamples : Samples);
    }

    private static Network Cnn()
    {
        var first = new Conv2D(new ImageShape(1, 8, 8), 16, 3, 3, 1, "same", new Relu());
        var second = new Conv2D(first.OutputShape, 32, 3, 3, 1, "same", new Relu());
        var pool = new MaxPool2D(second.OutputShape, 2);
        var flatten = new Flatten(pool.OutputShape);
        return new Network(first, second, pool, flatten, new Dense(flatten.OutputSize, 10, new Softmax()));
    }

    /// <summary>Floating-point operations of one training step per sample: 2 per multiply-add of the forward product, the
    /// weight gradient and (except in the first layer, whose input gradient is not needed) the backward product.</summary>
    public static double FlopsPerSample(Network network)
    {
        double flops = 0;
        for (int l = 0; l < network.Layers.Count; l++)
        {
            double multiplyAdds = network.Layers[l] switch
            {
                Dense d => (double)d.InputSize * d.OutputSize,
                Conv2D c => (double)c.OutputShape.Size * c.InputShape.Channels * c.KernelHeight * c.KernelWidth,
                _ => 0,
            };
            flops += 2 * multiplyAdds * (l == 0 ? 2 : 3);
        }
        return flops;
    }

    [GlobalSetup]
    public void Setup()
    {
        int samples;
        (network, batch, samples) = Create(Workload);
        network.Threads = Threads;
        sgd = new Sgd().Bind(network);
        var random = new Random(2);
        inputs = Enumerable.Range(0, samples * network.InputSize).Select(_ => random.NextDouble()).ToArray();
        labels = Enumerable.Range(0, samples).Select(_ => (double)random.Next(10)).ToArray();
    }

    /// <summary>One epoch: ComputeGradients and Step per batch; at batch 1, the engine's per-sample training, which trains exactly
    /// as that loop does (<see cref="OnlineTraining"/>).</summary>
    [Benchmark(Description = "engine: one epoch")]
    public void Epoch()
    {
        int samples = labels.Length, width = network.InputSize;
        if (batch == 1)
        {
            OnlineTraining.Run(network, sgd, inputs, labels, samples, loss, 0.01);
            return;
        }
        for (int start = 0; start + batch <= samples; start += batch)
        {
            network.ComputeGradients(inputs.AsSpan(start * width, batch * width), labels.AsSpan(start, batch), batch, loss);
            sgd.Step(0.01);
        }
    }
}
