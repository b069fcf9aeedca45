namespace Engine.Training;

/// <summary>What one epoch of training did.</summary>
/// <param name="Epoch">1-based epoch number.</param>
/// <param name="Loss">Mean loss over the epoch's samples, each measured before the step that used it.</param>
/// <param name="Accuracy">Fraction of those samples classified correctly, where the loss defines a classification rule.</param>
/// <param name="ValidationLoss">Loss on the held-out part after the epoch, with early stopping.</param>
public sealed record EpochReport(int Epoch, double Loss, double? Accuracy, double? ValidationLoss = null);
