using Engine.Data;
using Engine.Losses;
using Engine.Networks;

namespace Engine.Training;

/// <summary>Loss and accuracy of a network on data, without changing it.</summary>
public static class Evaluation
{
    /// <summary>The mean loss and, where the loss defines one, the accuracy on <paramref name="data"/>.</summary>
    /// <param name="network">The network.</param>
    /// <param name="loss">The loss.</param>
    /// <param name="data">Data, targets as the loss expects them.</param>
    /// <param name="batchSize">Rows per forward pass.</param>
    public static (double Loss, double? Accuracy) Evaluate(Network network, Loss loss, Dataset data, int batchSize = 256)
    {
        if (data.Count == 0) throw new ArgumentException("data must hold at least one sample.", nameof(data));
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "batchSize must be positive.");
        double lossSum = 0;
        int correct = 0;
        for (int start = 0; start < data.Count; start += batchSize)
        {
            int rows = Math.Min(batchSize, data.Count - start);
            var x = data.Features.AsSpan(start * data.FeatureCount, rows * data.FeatureCount);
            var y = data.Targets.AsSpan(start * data.TargetWidth, rows * data.TargetWidth);
            lossSum += network.Cost(x, y, rows, loss) * rows;
            if (loss.HasAccuracy) correct += CountCorrect(network.Outputs, y, rows, network.OutputSize, loss);
        }
        return (lossSum / data.Count, loss.HasAccuracy ? (double)correct / data.Count : null);
    }

    /// <summary>How many of <paramref name="rows"/> output rows the loss's rule counts as correct.</summary>
    /// <param name="outputs">Output rows.</param>
    /// <param name="targets">Target rows.</param>
    /// <param name="rows">Rows.</param>
    /// <param name="width">Output width.</param>
    /// <param name="loss">A loss with <see cref="Loss.HasAccuracy"/>.</param>
    public static int CountCorrect(ReadOnlySpan<double> outputs, ReadOnlySpan<double> targets, int rows, int width, Loss loss)
    {
        int targetWidth = loss.TargetWidth(width), correct = 0;
        for (int i = 0; i < rows; i++)
            if (loss.IsCorrect(outputs.Slice(i * width, width), targets.Slice(i * targetWidth, targetWidth))) correct++;
        return correct;
    }
}
