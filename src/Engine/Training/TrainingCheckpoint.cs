using Engine.Serialization;

namespace Engine.Training;

/// <summary>
/// Everything a <see cref="TrainingRun"/> needs to continue bit-identically after an epoch, captured by
/// <see cref="TrainingRun.Checkpoint"/> and given back to <see cref="TrainingRun.Resume"/>. The random generator is not stored:
/// it is recreated from <see cref="TrainingOptions.Seed"/> and the draws of the epochs done are replayed (the hold-out draw,
/// then one shuffle per epoch). Tensors are copies, named as model files name them, so a checkpoint file can store them as is.
/// </summary>
/// <param name="Options">The run's settings (optimizer and schedule with their hyperparameters). Resume with
/// <c>checkpoint with { Options = checkpoint.Options with { Epochs = … } }</c> to train longer.</param>
/// <param name="EpochsDone">Epochs completed.</param>
/// <param name="Stopped">Whether early stopping ended the run.</param>
/// <param name="Parameters">The network's parameters, <c>layers.{l}.{name}</c>.</param>
/// <param name="OptimizerState">The optimizer's state (<see cref="Optimizers.OptimizerState.Save"/>): buffers and step counts.</param>
/// <param name="BestValidationLoss">Early stopping: the best validation loss so far (+∞ before the first, or without early stopping).</param>
/// <param name="EpochsWithoutImprovement">Early stopping: epochs since the best one.</param>
/// <param name="BestParameters">Early stopping: the parameters of the best epoch (empty without early stopping).</param>
public sealed record TrainingCheckpoint(
    TrainingOptions Options,
    int EpochsDone,
    bool Stopped,
    IReadOnlyList<Tensor> Parameters,
    IReadOnlyList<Tensor> OptimizerState,
    double BestValidationLoss,
    int EpochsWithoutImprovement,
    IReadOnlyList<Tensor> BestParameters);
