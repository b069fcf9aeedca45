using Engine.Data;
using Engine.Kernels;
using Engine.Losses;
using Engine.Networks;

namespace Engine.Training;

/// <summary>Mini-batch stochastic gradient descent: for each batch, backpropagate, then w ← w − η·∂C/∂w for every parameter.</summary>
public static class Sgd
{
    /// <summary>One update w ← w − η·∂C/∂w from the gradients the last backward pass left in the parameters (frozen ones stay).</summary>
    /// <param name="network">The network, after <see cref="Network.ComputeGradients"/>.</param>
    /// <param name="learningRate">η.</param>
    public static void Step(Network network, double learningRate)
    {
        var parameters = network.Parameters;
        for (int p = 0; p < parameters.Count; p++)
            if (!parameters[p].Frozen) VectorOps.ScaledAdd(parameters[p].Gradient, -learningRate, parameters[p].Values);
    }

    /// <summary>Trains <paramref name="network"/> in place. The whole data set is validated first, so bad data changes nothing.</summary>
    /// <param name="network">The network to train.</param>
    /// <param name="loss">The per-sample loss.</param>
    /// <param name="data">Training data, targets as the loss expects them.</param>
    /// <param name="options">Learning rate, batch size, epochs, seed, early stopping.</param>
    /// <param name="onEpoch">Called after every epoch, for progress.</param>
    /// <param name="afterStep">Called after every step, once the update is applied (e.g. <see cref="Diagnostics.GradientDiagnostics.Observe"/>).</param>
    /// <returns>One report per epoch run.</returns>
    /// <exception cref="ArgumentException">The options or the data are invalid; the message names the setting, or the row and column.</exception>
    /// <exception cref="TrainingDivergedException">A loss or gradient became non-finite; the network keeps its last finite parameters.</exception>
    public static IReadOnlyList<EpochReport> Train(Network network, Loss loss, Dataset data, SgdOptions options, Action<EpochReport>? onEpoch = null,
        Action? afterStep = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(data);
        options.Validate();
        if (data.Count == 0) throw new ArgumentException("data must hold at least one sample.", nameof(data));
        if (data.FeatureCount != network.InputSize)
            throw new ArgumentException($"data must have {network.InputSize} features (the network's input width), but has {data.FeatureCount}.", nameof(data));
        int targetWidth = loss.TargetWidth(network.OutputSize);
        if (data.TargetWidth != targetWidth)
            throw new ArgumentException($"data must have {targetWidth} target values per sample for the {loss.Name} loss, but has {data.TargetWidth}.", nameof(data));
        network.ValidateInputs(data.Features, data.Count);
        network.ValidateTargets(data.Targets, data.Count, loss);

        var random = new Random(options.Seed);
        var (train, validation) = HoldOut(data, options.ValidationFraction, random);
        var order = Enumerable.Range(0, train.Count).ToArray();
        int batchSize = Math.Min(options.BatchSize, train.Count);
        var features = new double[batchSize * data.FeatureCount];
        var targets = new double[batchSize * targetWidth];
        var reports = new List<EpochReport>();
        var stopping = validation is null ? null : new EarlyStopping(network, options);
        for (int epoch = 1; epoch <= options.Epochs; epoch++)
        {
            if (options.Shuffle) random.Shuffle(order);
            double lossSum = 0;
            int correct = 0;
            for (int start = 0, batch = 1; start < train.Count; start += batchSize, batch++)
            {
                int rows = Math.Min(batchSize, train.Count - start);
                for (int r = 0; r < rows; r++)
                {
                    train.FeatureRow(order[start + r]).CopyTo(features.AsSpan(r * data.FeatureCount));
                    train.TargetRow(order[start + r]).CopyTo(targets.AsSpan(r * targetWidth));
                }
                var y = targets.AsSpan(0, rows * targetWidth);
                double cost = network.ComputeGradients(features.AsSpan(0, rows * data.FeatureCount), y, rows, loss);
                if (!double.IsFinite(cost)) throw new TrainingDivergedException(epoch, batch, $"the loss is {cost}");
                RequireFiniteGradients(network, epoch, batch);
                lossSum += cost * rows;
                if (loss.HasAccuracy) correct += Evaluation.CountCorrect(network.Outputs, y, rows, network.OutputSize, loss);
                Step(network, options.LearningRate);
                afterStep?.Invoke();
            }
            double? validationLoss = validation is null ? null : Evaluation.Evaluate(network, loss, validation).Loss;
            var report = new EpochReport(epoch, lossSum / train.Count, loss.HasAccuracy ? (double)correct / train.Count : null, validationLoss);
            reports.Add(report);
            onEpoch?.Invoke(report);
            if (stopping is not null && stopping.ShouldStop(validationLoss!.Value)) break;
        }
        stopping?.RestoreBest();
        return reports;
    }

    /// <summary>The training part and, when <paramref name="fraction"/> &gt; 0, a held-out part of round(fraction·count) samples (at least 1).</summary>
    private static (Dataset Train, Dataset? Validation) HoldOut(Dataset data, double fraction, Random random)
    {
        if (fraction == 0) return (data, null);
        int held = Math.Max(1, (int)Math.Round(fraction * data.Count));
        if (held >= data.Count)
            throw new ArgumentException($"ValidationFraction {fraction} of {data.Count} samples leaves none to train on.", nameof(data));
        var order = Enumerable.Range(0, data.Count).ToArray();
        random.Shuffle(order);
        return (data.Select(order[held..]), data.Select(order[..held]));
    }

    /// <summary>Tracks the best validation loss and the parameters that reached it.</summary>
    private sealed class EarlyStopping(Network network, SgdOptions options)
    {
        private readonly double[][] best = network.Parameters.Select(p => (double[])p.Values.Clone()).ToArray();
        private double bestLoss = double.PositiveInfinity;
        private int epochsWithoutImprovement;

        public bool ShouldStop(double validationLoss)
        {
            if (validationLoss < bestLoss - options.MinImprovement)
            {
                bestLoss = validationLoss;
                epochsWithoutImprovement = 0;
                for (int p = 0; p < best.Length; p++) network.Parameters[p].Values.CopyTo(best[p], 0);
                return false;
            }
            return ++epochsWithoutImprovement >= options.Patience;
        }

        public void RestoreBest()
        {
            if (double.IsPositiveInfinity(bestLoss)) return;
            for (int p = 0; p < best.Length; p++) best[p].CopyTo(network.Parameters[p].Values, 0);
        }
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
