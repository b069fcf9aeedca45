using Engine.Data;
using Engine.Kernels;
using Engine.Losses;
using Engine.Networks;

namespace Engine.Training;

/// <summary>Mini-batch stochastic gradient descent: for each batch, backpropagate, then w ← w − η·∂C/∂w for every parameter.</summary>
public static class Sgd
{
    /// <summary>One update w ← w − η·∂C/∂w from the gradients the last backward pass left in the parameters.</summary>
    /// <param name="network">The network, after <see cref="Network.ComputeGradients"/>.</param>
    /// <param name="learningRate">η.</param>
    public static void Step(Network network, double learningRate)
    {
        var parameters = network.Parameters;
        for (int p = 0; p < parameters.Count; p++) VectorOps.ScaledAdd(parameters[p].Gradient, -learningRate, parameters[p].Values);
    }

    /// <summary>Trains <paramref name="network"/> in place.</summary>
    /// <param name="network">The network to train.</param>
    /// <param name="loss">The per-sample loss.</param>
    /// <param name="data">Training data, targets as the loss expects them.</param>
    /// <param name="options">Learning rate, batch size, epochs, seed.</param>
    /// <param name="onEpoch">Called after every epoch, for progress.</param>
    /// <returns>One report per epoch.</returns>
    /// <exception cref="TrainingDivergedException">A loss or gradient became non-finite; the network keeps its last finite parameters.</exception>
    public static IReadOnlyList<EpochReport> Train(Network network, Loss loss, Dataset data, SgdOptions options, Action<EpochReport>? onEpoch = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (data.Count == 0) throw new ArgumentException("data must hold at least one sample.", nameof(data));
        if (data.FeatureCount != network.InputSize)
            throw new ArgumentException($"data must have {network.InputSize} features (the network's input width), but has {data.FeatureCount}.", nameof(data));
        int targetWidth = loss.TargetWidth(network.OutputSize);
        if (data.TargetWidth != targetWidth)
            throw new ArgumentException($"data must have {targetWidth} target values per sample for the {loss.Name} loss, but has {data.TargetWidth}.", nameof(data));

        var random = new Random(options.Seed);
        var order = Enumerable.Range(0, data.Count).ToArray();
        int batchSize = Math.Min(options.BatchSize, data.Count);
        var features = new double[batchSize * data.FeatureCount];
        var targets = new double[batchSize * targetWidth];
        var reports = new List<EpochReport>(options.Epochs);
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            if (options.Shuffle) random.Shuffle(order);
            double lossSum = 0;
            int correct = 0;
            for (int start = 0, batch = 1; start < data.Count; start += batchSize, batch++)
            {
                int rows = Math.Min(batchSize, data.Count - start);
                for (int r = 0; r < rows; r++)
                {
                    data.FeatureRow(order[start + r]).CopyTo(features.AsSpan(r * data.FeatureCount));
                    data.TargetRow(order[start + r]).CopyTo(targets.AsSpan(r * targetWidth));
                }
                var x = features.AsSpan(0, rows * data.FeatureCount);
                var y = targets.AsSpan(0, rows * targetWidth);
                double cost = network.ComputeGradients(x, y, rows, loss);
                if (!double.IsFinite(cost)) throw new TrainingDivergedException(epoch, batch, $"the loss is {cost}");
                RequireFiniteGradients(network, epoch, batch);
                lossSum += cost * rows;
                if (loss.HasAccuracy) correct += Evaluation.CountCorrect(network.Layers[^1].Outputs, y, rows, network.OutputSize, loss);
                Step(network, options.LearningRate);
            }
            var report = new EpochReport(epoch, lossSum / data.Count, loss.HasAccuracy ? (double)correct / data.Count : null);
            reports.Add(report);
            onEpoch?.Invoke(report);
        }
        return reports;
    }

    private static void RequireFiniteGradients(Network network, int epoch, int batch)
    {
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var parameters = network.Layers[l].Parameters;
            for (int p = 0; p < parameters.Count; p++)
            {
                int bad = VectorOps.IndexOfNonFinite(parameters[p].Gradient);
                if (bad >= 0)
                    throw new TrainingDivergedException(epoch, batch, $"∂C/∂{parameters[p].Name}[{bad}] of layer {l} is {parameters[p].Gradient[bad]}");
            }
        }
    }
}
