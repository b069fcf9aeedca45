using Engine.Losses;
using Engine.Networks;
using Engine.Optimizers;

namespace Engine.Training;

/// <summary>
/// The notes' per-sample (online) gradient descent over a run of samples, in order: for each sample,
/// <see cref="Network.ComputeGradients"/> on a batch of one, then <see cref="OptimizerState.Step"/> — with the same parameters,
/// gradients, optimizer state and costs, bit for bit, as that loop.
/// </summary>
/// <remarks>
/// With plain SGD (no momentum, no weight decay) and a dense first layer whose weights are trained, the loop would stream that
/// layer's weights, or their gradient, five times a sample: read by the forward product, written as ∂C/∂W, read twice and
/// written by the update. Here the update of one sample and the forward product of the next share one pass that reads and writes
/// W once (<see cref="Dense.UpdateThenForward"/>), and ∂C/∂W is written for the last sample only, which is what the loop leaves.
/// Any other network or optimizer runs the loop itself.
/// </remarks>
public static class OnlineTraining
{
    /// <summary>Trains on <paramref name="count"/> samples one at a time, in order.</summary>
    /// <param name="network">The network.</param>
    /// <param name="optimizer">Its optimizer state (from <see cref="Optimizer.Bind(Network)"/>).</param>
    /// <param name="inputs">The samples, <c>[count, InputSize]</c>.</param>
    /// <param name="targets">Their targets, <c>[count, loss.TargetWidth(OutputSize)]</c>.</param>
    /// <param name="count">Samples.</param>
    /// <param name="loss">The loss.</param>
    /// <param name="learningRate">η of every step.</param>
    /// <returns>The mean of the samples' costs, each taken before its own update.</returns>
    /// <exception cref="ArgumentException">A sample's input or target is refused, as <see cref="Network.ComputeGradients"/> refuses it;
    /// the samples before it are trained.</exception>
    public static double Run(Network network, OptimizerState optimizer, ReadOnlySpan<double> inputs, ReadOnlySpan<double> targets,
        int count, Loss loss, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(loss);
        if (count <= 0) throw new ArgumentOutOfRangeException(nameof(count), count, "count must be positive.");
        int width = network.InputSize, targetWidth = loss.TargetWidth(network.OutputSize);
        if (inputs.Length != (long)count * width)
            throw new ArgumentException($"inputs must be [count={count}, {width}] = {(long)count * width} values, but has {inputs.Length}.", nameof(inputs));
        if (targets.Length != (long)count * targetWidth)
            throw new ArgumentException($"targets must be [count={count}, {targetWidth}] = {(long)count * targetWidth} values, but has {targets.Length}.", nameof(targets));
        var first = Fusable(network, optimizer);
        double sum = 0;
        int deferred = -1; // the sample whose ∂C/∂W of the first layer is not written yet
        try
        {
            for (int t = 0; t < count; t++)
            {
                var input = inputs.Slice(t * width, width);
                bool fuse = first is not null && t + 1 < count;
                if (first is not null) first.DeferWeightGradient = fuse;
                sum += network.ComputeGradients(input, targets.Slice(t * targetWidth, targetWidth), 1, loss);
                deferred = fuse ? t : -1;
                if (!fuse)
                {
                    optimizer.Step(learningRate);
                    continue;
                }
                optimizer.StepExcept(learningRate, first!.Parameters[0]);
                first.UpdateThenForward(input, learningRate, inputs.Slice((t + 1) * width, width));
            }
        }
        catch when (first is not null && deferred >= 0)
        {
            // A refused sample leaves the gradients of the one before, as the loop does.
            first.WriteWeightGradient(inputs.Slice(deferred * width, width));
            throw;
        }
        finally
        {
            if (first is not null)
            {
                first.DeferWeightGradient = false;
                first.DiscardReadyProduct();
            }
        }
        return sum / count;
    }

    /// <summary>The first layer when the fused pass applies: plain SGD bound to this network, a dense first layer, its weights trained.</summary>
    private static Dense? Fusable(Network network, OptimizerState optimizer) =>
        optimizer.IsBoundTo(network) && optimizer.Optimizer is Sgd { Momentum: 0, WeightDecay: 0 }
            && network.Layers[0] is Dense first && !first.Parameters[0].Frozen ? first : null;
}
