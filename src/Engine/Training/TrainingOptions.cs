using Engine.Optimizers;
using Engine.Schedules;

namespace Engine.Training;

/// <summary>Settings of <see cref="Trainer.Train"/> and <see cref="TrainingRun"/>. The defaults are plain mini-batch SGD at a constant rate.</summary>
public sealed record TrainingOptions
{
    /// <summary>γ₀, the initial learning rate (η in w ← w − η·∂C/∂w); positive and finite. The <see cref="Schedule"/> gives each epoch's rate from it.</summary>
    public double LearningRate { get; init; } = 0.01;

    /// <summary>Samples per step: 1 is the notes' per-sample SGD, the whole set is batch gradient descent.</summary>
    public int BatchSize { get; init; } = 32;

    /// <summary>Passes over the data (0 trains nothing).</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Seed of the hold-out draw and of the shuffles: the same seed gives a bit-identical run.</summary>
    public int Seed { get; init; }

    /// <summary>Shuffle the samples at the start of every epoch.</summary>
    public bool Shuffle { get; init; } = true;

    /// <summary>The update rule (<see cref="Registry{T}"/> of <see cref="Optimizers.Optimizer"/>); plain SGD by default.</summary>
    public Optimizer Optimizer { get; init; } = new Sgd();

    /// <summary>The learning rate of each epoch (<see cref="Registry{T}"/> of <see cref="Schedules.Schedule"/>); constant by default.</summary>
    public Schedule Schedule { get; init; } = new Constant();

    /// <summary>
    /// Gradient clipping by global norm (PyTorch's <c>clip_grad_norm_</c>, <see cref="GradientClipping"/>) before every step, or
    /// null for none (the default). Positive and finite.
    /// </summary>
    public double? MaxGradientNorm { get; init; }

    /// <summary>
    /// Early stopping, as scikit-learn's <c>early_stopping</c>: this fraction of the data (chosen with <see cref="Seed"/>) is held out
    /// and training stops when its loss has not improved by <see cref="MinImprovement"/> for <see cref="Patience"/> epochs, restoring
    /// the parameters of the best epoch. 0 (the default) trains on all the data for every epoch.
    /// </summary>
    public double ValidationFraction { get; init; }

    /// <summary>Epochs without improvement of the validation loss before stopping (with <see cref="ValidationFraction"/>).</summary>
    public int Patience { get; init; } = 10;

    /// <summary>The decrease of the validation loss that counts as an improvement (with <see cref="ValidationFraction"/>).</summary>
    public double MinImprovement { get; init; } = 1e-4;

    /// <summary>Throws an <see cref="ArgumentException"/> naming the first invalid setting.</summary>
    public void Validate()
    {
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "LearningRate must be positive and finite.");
        if (BatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be positive.");
        if (Epochs < 0) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Epochs must not be negative.");
        if (Optimizer is null) throw new ArgumentNullException(nameof(Optimizer), "Optimizer must be set.");
        if (Schedule is null) throw new ArgumentNullException(nameof(Schedule), "Schedule must be set.");
        if (MaxGradientNorm is { } norm && !(norm > 0 && double.IsFinite(norm)))
            throw new ArgumentOutOfRangeException(nameof(MaxGradientNorm), norm, "MaxGradientNorm must be positive and finite.");
        if (!(ValidationFraction >= 0 && ValidationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "ValidationFraction must lie in [0, 1).");
        if (Patience <= 0) throw new ArgumentOutOfRangeException(nameof(Patience), Patience, "Patience must be positive.");
        if (!(MinImprovement >= 0) || !double.IsFinite(MinImprovement))
            throw new ArgumentOutOfRangeException(nameof(MinImprovement), MinImprovement, "MinImprovement must be non-negative and finite.");
    }
}
