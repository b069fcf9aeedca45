namespace Engine.Training;

/// <summary>Settings of <see cref="Sgd.Train"/>.</summary>
public sealed record SgdOptions
{
    /// <summary>η in w ← w − η·∂C/∂w; positive and finite.</summary>
    public double LearningRate { get; init; } = 0.01;

    /// <summary>Samples per step: 1 is the notes' per-sample SGD, the whole set is batch gradient descent.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Passes over the data (0 trains nothing).</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Seed of the shuffle: the same seed gives a bit-identical run.</summary>
    public int Seed { get; init; }

    /// <summary>Shuffle the samples at the start of every epoch.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "LearningRate must be positive and finite.");
        if (BatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be positive.");
        if (Epochs < 0) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Epochs must not be negative.");
    }
}
