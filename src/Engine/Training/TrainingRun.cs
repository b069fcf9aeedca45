using Engine.Data;
using Engine.Kernels;
using Engine.Losses;
using Engine.Networks;
using Engine.Optimizers;
using Engine.Serialization;

namespace Engine.Training;

/// <summary>
/// A training run that can be taken one epoch at a time, checkpointed after any epoch and resumed bit-identically.
/// Each epoch reshuffles the training part (with <see cref="TrainingOptions.Seed"/>), then for every batch: backpropagation,
/// a check that the loss and every gradient are finite (else <see cref="TrainingDivergedException"/> before the step),
/// gradient clipping if asked, and one step of the optimizer at the epoch's rate γₜ = schedule(γ₀, t). With early stopping,
/// the held-out loss is measured after each epoch.
/// </summary>
/// <remarks>
/// Use <see cref="Trainer.Train"/> to run to the end. Drive a run yourself to save checkpoints:
/// <code>
/// var run = new TrainingRun(network, loss, data, options);
/// while (!run.Finished) { var report = run.RunEpoch(); Save(run.Checkpoint()); }
/// run.RestoreBest();
/// </code>
/// and <see cref="Resume"/> a saved one the same way.
/// </remarks>
public sealed class TrainingRun
{
    private readonly Network network;
    private readonly Loss loss;
    private readonly Dataset train;
    private readonly Dataset? validation;
    private readonly Random random;
    private readonly int[] order;
    private readonly double[] features, targets;
    private readonly int batchSize, targetWidth;
    private readonly double[][]? best;
    private double bestLoss = double.PositiveInfinity;
    private int epochsWithoutImprovement;
    private bool faulted;

    /// <summary>Validates everything (options, then the whole data set) and prepares a run; nothing is trained yet.</summary>
    /// <param name="network">The network to train in place.</param>
    /// <param name="loss">The per-sample loss.</param>
    /// <param name="data">Training data, targets as the loss expects them.</param>
    /// <param name="options">The settings.</param>
    /// <exception cref="ArgumentException">The options or the data are invalid; the message names the setting, or the row and column.</exception>
    public TrainingRun(Network network, Loss loss, Dataset data, TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(data);
        options.Validate();
        if (data.Count == 0) throw new ArgumentException("data must hold at least one sample.", nameof(data));
        if (data.FeatureCount != network.InputSize)
            throw new ArgumentException($"data must have {network.InputSize} features (the network's input width), but has {data.FeatureCount}.", nameof(data));
        targetWidth = loss.TargetWidth(network.OutputSize);
        if (data.TargetWidth != targetWidth)
            throw new ArgumentException($"data must have {targetWidth} target values per sample for the {loss.Name} loss, but has {data.TargetWidth}.", nameof(data));
        network.ValidateInputs(data.Features, data.Count);
        network.ValidateTargets(data.Targets, data.Count, loss);

        this.network = network;
        this.loss = loss;
        Options = options;
        random = new Random(options.Seed);
        (train, validation) = HoldOut(data, options.ValidationFraction, random);
        order = Enumerable.Range(0, train.Count).ToArray();
        batchSize = Math.Min(options.BatchSize, train.Count);
        features = new double[batchSize * data.FeatureCount];
        targets = new double[batchSize * targetWidth];
        Optimizer = options.Optimizer.Bind(network);
        best = validation is null ? null : network.Parameters.Select(p => (double[])p.Values.Clone()).ToArray();
    }

    /// <summary>
    /// A run that continues <paramref name="checkpoint"/>: the network gets the checkpoint's parameters, the optimizer its state,
    /// early stopping its bests, and the random generator is recreated from the seed with the draws of the epochs done replayed.
    /// </summary>
    /// <param name="network">A network of the checkpoint's topology.</param>
    /// <param name="loss">The loss the run used.</param>
    /// <param name="data">The data the run used.</param>
    /// <param name="checkpoint">From <see cref="Checkpoint"/>.</param>
    /// <exception cref="ArgumentException">The checkpoint does not fit the network or the options (the message names the tensor or the setting).</exception>
    public static TrainingRun Resume(Network network, Loss loss, Dataset data, TrainingCheckpoint checkpoint)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var run = new TrainingRun(network, loss, data, checkpoint.Options);
        if (checkpoint.EpochsDone < 0)
            throw new ArgumentOutOfRangeException(nameof(checkpoint), checkpoint.EpochsDone, "The checkpoint's EpochsDone must not be negative.");
        if (run.best is null != (checkpoint.BestParameters.Count == 0))
            throw new ArgumentException(
                $"The checkpoint {(checkpoint.BestParameters.Count == 0 ? "has no" : "has")} early-stopping parameters, but ValidationFraction is {checkpoint.Options.ValidationFraction}.", nameof(checkpoint));
        // Check every tensor before changing anything.
        var parameters = Match(network, checkpoint.Parameters, "parameter");
        var bestParameters = run.best is null ? null : Match(network, checkpoint.BestParameters, "early-stopping parameter");
        run.Optimizer.Restore(checkpoint.OptimizerState);
        for (int p = 0; p < parameters.Length; p++) parameters[p].CopyTo(network.Parameters[p].Values, 0);
        if (bestParameters is not null)
            for (int p = 0; p < bestParameters.Length; p++) bestParameters[p].CopyTo(run.best![p], 0);
        run.bestLoss = checkpoint.BestValidationLoss;
        run.epochsWithoutImprovement = checkpoint.EpochsWithoutImprovement;
        run.Stopped = checkpoint.Stopped;
        for (int epoch = 0; epoch < checkpoint.EpochsDone; epoch++) run.Shuffle();
        run.EpochsDone = checkpoint.EpochsDone;
        return run;
    }

    /// <summary>The settings.</summary>
    public TrainingOptions Options { get; }

    /// <summary>The optimizer bound to the network, with its state.</summary>
    public OptimizerState Optimizer { get; }

    /// <summary>Epochs completed.</summary>
    public int EpochsDone { get; private set; }

    /// <summary>Whether early stopping has ended the run.</summary>
    public bool Stopped { get; private set; }

    /// <summary>Whether the run is over: every epoch done, or stopped early.</summary>
    public bool Finished => Stopped || EpochsDone >= Options.Epochs;

    /// <summary>γₜ of the next epoch: the schedule's rate after <see cref="EpochsDone"/> epochs.</summary>
    public double LearningRate => Options.Schedule.Rate(Options.LearningRate, EpochsDone, Options.Epochs);

    /// <summary>Runs the remaining epochs, then restores the best epoch's parameters if early stopping is on.</summary>
    /// <param name="onEpoch">Called after every epoch.</param>
    /// <param name="afterStep">Called after every step, once the update is applied.</param>
    /// <returns>One report per epoch run.</returns>
    public IReadOnlyList<EpochReport> Run(Action<EpochReport>? onEpoch = null, Action? afterStep = null)
    {
        var reports = new List<EpochReport>();
        while (!Finished)
        {
            var report = RunEpoch(afterStep);
            reports.Add(report);
            onEpoch?.Invoke(report);
        }
        RestoreBest();
        return reports;
    }

    /// <summary>Trains one epoch.</summary>
    /// <param name="afterStep">Called after every step, once the update is applied (e.g. <see cref="Diagnostics.GradientDiagnostics.Observe"/>).</param>
    /// <returns>What it did.</returns>
    /// <exception cref="InvalidOperationException">The run is <see cref="Finished"/>, or an earlier epoch threw.</exception>
    /// <exception cref="TrainingDivergedException">A loss or gradient became non-finite; the network keeps its last finite parameters.</exception>
    public EpochReport RunEpoch(Action? afterStep = null)
    {
        if (faulted) throw new InvalidOperationException("An earlier epoch of this run threw; start a new run or resume from a checkpoint.");
        if (Finished) throw new InvalidOperationException($"The run is finished ({(Stopped ? "stopped early" : $"{Options.Epochs} epochs done")}).");
        faulted = true;
        int epoch = EpochsDone + 1;
        double rate = LearningRate;
        if (!(rate >= 0) || !double.IsFinite(rate))
            throw new InvalidOperationException($"The {Options.Schedule} schedule gave the learning rate {rate} for epoch {epoch}.");
        Shuffle();
        double lossSum = 0;
        int correct = 0, featureCount = train.FeatureCount;
        for (int start = 0, batch = 1; start < train.Count; start += batchSize, batch++)
        {
            int rows = Math.Min(batchSize, train.Count - start);
            for (int r = 0; r < rows; r++)
            {
                train.FeatureRow(order[start + r]).CopyTo(features.AsSpan(r * featureCount));
                train.TargetRow(order[start + r]).CopyTo(targets.AsSpan(r * targetWidth));
            }
            var y = targets.AsSpan(0, rows * targetWidth);
            double cost = network.ComputeGradients(features.AsSpan(0, rows * featureCount), y, rows, loss);
            if (!double.IsFinite(cost)) throw new TrainingDivergedException(epoch, batch, $"the loss is {cost}");
            RequireFiniteGradients(epoch, batch);
            lossSum += cost * rows;
            if (loss.HasAccuracy) correct += Evaluation.CountCorrect(network.Outputs, y, rows, network.OutputSize, loss);
            if (Options.MaxGradientNorm is { } maxNorm) GradientClipping.ClipByGlobalNorm(network.Parameters, maxNorm);
            Optimizer.Step(rate);
            afterStep?.Invoke();
        }
        double? validationLoss = validation is null ? null : Evaluation.Evaluate(network, loss, validation).Loss;
        EpochsDone = epoch;
        if (validationLoss is { } value) Stopped = ShouldStop(value);
        faulted = false;
        return new EpochReport(epoch, lossSum / train.Count, loss.HasAccuracy ? (double)correct / train.Count : null, validationLoss);
    }

    /// <summary>Everything needed to continue this run exactly from here (copies).</summary>
    public TrainingCheckpoint Checkpoint() => new(
        Options, EpochsDone, Stopped, Tensors(network.Parameters.Select(p => p.Values).ToArray()), Optimizer.Save(),
        bestLoss, epochsWithoutImprovement, best is null ? [] : Tensors(best));

    /// <summary>With early stopping, puts the parameters of the epoch with the best validation loss back into the network (if there was one).</summary>
    public void RestoreBest()
    {
        if (best is null || double.IsPositiveInfinity(bestLoss)) return;
        for (int p = 0; p < best.Length; p++) best[p].CopyTo(network.Parameters[p].Values, 0);
    }

    private void Shuffle()
    {
        if (Options.Shuffle) random.Shuffle(order);
    }

    private bool ShouldStop(double validationLoss)
    {
        if (validationLoss < bestLoss - Options.MinImprovement)
        {
            bestLoss = validationLoss;
            epochsWithoutImprovement = 0;
            for (int p = 0; p < best!.Length; p++) network.Parameters[p].Values.CopyTo(best[p], 0);
            return false;
        }
        return ++epochsWithoutImprovement >= Options.Patience;
    }

    private Tensor[] Tensors(double[][] values) =>
        values.Select((v, p) => new Tensor(network.ParameterNames[p], [.. network.Parameters[p].Shape], (double[])v.Clone())).ToArray();

    /// <summary>The checkpoint's values for each of the network's parameters, by name; throws naming the first that does not fit.</summary>
    private static double[][] Match(Network network, IReadOnlyList<Tensor> tensors, string what)
    {
        var byName = tensors.ToDictionary(t => t.Name);
        if (byName.Keys.Except(network.ParameterNames).FirstOrDefault() is { } unexpected)
            throw new ArgumentException($"The checkpoint's {what} '{unexpected}' is not a parameter of the network.", "checkpoint");
        return network.Parameters.Select((parameter, p) =>
        {
            string name = network.ParameterNames[p];
            if (!byName.TryGetValue(name, out var tensor)) throw new ArgumentException($"The checkpoint lacks the {what} '{name}'.", "checkpoint");
            if (!tensor.Shape.SequenceEqual(parameter.Shape) || tensor.Values.Length != parameter.Count)
                throw new ArgumentException(
                    $"The checkpoint's {what} '{name}' has shape [{string.Join(", ", tensor.Shape)}], but the network's is [{string.Join(", ", parameter.Shape)}].", "checkpoint");
            int bad = VectorOps.IndexOfNonFinite(tensor.Values);
            if (bad >= 0) throw new ArgumentException($"The checkpoint's {what} '{name}' holds {tensor.Values[bad]} at index {bad}.", "checkpoint");
            return tensor.Values;
        }).ToArray();
    }

    /// <summary>The training part and, when <paramref name="fraction"/> &gt; 0, a held-out part of round(fraction·count) samples (at least 1).</summary>
    private static (Dataset Train, Dataset? Validation) HoldOut(Dataset data, double fraction, Random random)
    {
        if (fraction == 0) return (data, null);
        int held = Math.Max(1, (int)Math.Round(fraction * data.Count));
        if (held >= data.Count)
            throw new ArgumentException($"ValidationFraction {fraction} of {data.Count} samples leaves none to train on.", nameof(data));
        var indices = Enumerable.Range(0, data.Count).ToArray();
        random.Shuffle(indices);
        return (data.Select(indices[held..]), data.Select(indices[..held]));
    }

    private void RequireFiniteGradients(int epoch, int batch)
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
