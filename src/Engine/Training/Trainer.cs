using Engine.Data;
using Engine.Losses;
using Engine.Networks;

namespace Engine.Training;

/// <summary>
/// Mini-batch training: for each batch, backpropagate, clip the gradients if asked, then one optimizer step at the schedule's
/// rate. With the default <see cref="TrainingOptions"/> it is the notes' SGD, w ← w − η·∂C/∂w.
/// </summary>
public static class Trainer
{
    /// <summary>Trains <paramref name="network"/> in place. The whole data set is validated first, so bad data changes nothing.</summary>
    /// <param name="network">The network to train.</param>
    /// <param name="loss">The per-sample loss.</param>
    /// <param name="data">Training data, targets as the loss expects them.</param>
    /// <param name="options">Optimizer, schedule, learning rate, batch size, epochs, seed, clipping, early stopping.</param>
    /// <param name="onEpoch">Called after every epoch, for progress.</param>
    /// <param name="afterStep">Called after every step, once the update is applied (e.g. <see cref="Diagnostics.GradientDiagnostics.Observe"/>).</param>
    /// <returns>One report per epoch run.</returns>
    /// <exception cref="ArgumentException">The options or the data are invalid; the message names the setting, or the row and column.</exception>
    /// <exception cref="TrainingDivergedException">A loss or gradient became non-finite; the network keeps its last finite parameters.</exception>
    public static IReadOnlyList<EpochReport> Train(Network network, Loss loss, Dataset data, TrainingOptions options, Action<EpochReport>? onEpoch = null,
        Action? afterStep = null) =>
        new TrainingRun(network, loss, data, options).Run(onEpoch, afterStep);

    /// <summary>Continues a run from <paramref name="checkpoint"/> to its end, exactly as if it had not been interrupted.</summary>
    /// <param name="network">A network of the checkpoint's topology; its parameters are replaced by the checkpoint's.</param>
    /// <param name="loss">The loss the run used.</param>
    /// <param name="data">The data the run used.</param>
    /// <param name="checkpoint">From <see cref="TrainingRun.Checkpoint"/>.</param>
    /// <param name="onEpoch">Called after every epoch, for progress.</param>
    /// <param name="afterStep">Called after every step, once the update is applied.</param>
    /// <returns>One report per epoch run after the checkpoint.</returns>
    public static IReadOnlyList<EpochReport> Resume(Network network, Loss loss, Dataset data, TrainingCheckpoint checkpoint, Action<EpochReport>? onEpoch = null,
        Action? afterStep = null) =>
        TrainingRun.Resume(network, loss, data, checkpoint).Run(onEpoch, afterStep);
}
