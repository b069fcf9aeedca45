namespace Engine.Training;

/// <summary>
/// Training produced a non-finite loss or gradient. It stopped before applying that step, so the network keeps its last finite parameters.
/// </summary>
public sealed class TrainingDivergedException : Exception
{
    /// <summary>Describes where training diverged.</summary>
    /// <param name="epoch">1-based epoch.</param>
    /// <param name="batch">1-based batch within the epoch.</param>
    /// <param name="what">What became non-finite.</param>
    public TrainingDivergedException(int epoch, int batch, string what)
        : base($"Training diverged at epoch {epoch}, batch {batch}: {what}. The network keeps its last finite parameters; " +
               "lower the learning rate or standardize the inputs.")
    {
        Epoch = epoch;
        Batch = batch;
    }

    /// <summary>1-based epoch.</summary>
    public int Epoch { get; }

    /// <summary>1-based batch within the epoch.</summary>
    public int Batch { get; }
}
