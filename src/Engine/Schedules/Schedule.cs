namespace Engine.Schedules;

/// <summary>
/// A learning-rate schedule: the rate γₜ of epoch t + 1 given the initial rate γ₀, as PyTorch's <c>torch.optim.lr_scheduler</c>
/// used the usual way, <c>scheduler.step()</c> once after every epoch: t counts the epochs done (0 during the first), and every
/// step of an epoch uses that epoch's rate. Each schedule is its closed form. Immutable and found by the
/// <see cref="Registry{T}"/>, with its settings as <see cref="HyperparameterAttribute"/>s, like optimizers.
/// </summary>
public abstract class Schedule : INamed
{
    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <summary>γₜ: the learning rate of the epoch after <paramref name="epoch"/> epochs.</summary>
    /// <param name="initialRate">γ₀ &gt; 0 (the trainer's <c>LearningRate</c>).</param>
    /// <param name="epoch">t ≥ 0, the epochs done.</param>
    /// <param name="epochs">The run's length in epochs (for schedules defined over the whole run).</param>
    /// <returns>A rate ≥ 0.</returns>
    public abstract double Rate(double initialRate, int epoch, int epochs);

    /// <summary>The name with every hyperparameter (<see cref="Hyperparameters.Summarize"/>).</summary>
    public override string ToString() => Hyperparameters.Summarize(this);
}
