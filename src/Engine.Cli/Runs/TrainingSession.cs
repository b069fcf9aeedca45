using System.Diagnostics;
using System.Globalization;
using Engine.Diagnostics;
using Engine.Serialization;
using Engine.Training;
using Spectre.Console;

namespace Engine.Cli.Runs;

/// <summary>
/// Trains a prepared plan into its run folder, one epoch at a time (<see cref="TrainingRun"/>), with progress on standard error.
/// <list type="bullet">
/// <item>Checkpoints: every <c>--checkpoint-every</c> epochs, when stopped and at the end, <c>checkpoint.safetensors</c> is
/// written atomically with the trainer's state after the last completed epoch, the run's settings and its outputs so far, so
/// <c>nn train --resume</c> continues to the result an uninterrupted run reaches.</item>
/// <item>Ctrl+C or SIGTERM stops training after the current step; the model, metrics and checkpoint of the last completed epoch
/// are saved.</item>
/// <item>Divergence is caught by two rules: a non-finite loss or gradient (the trainer stops before applying that step), and an
/// explosion, an epoch whose mean training loss exceeds <see cref="ExplosionFactor"/> times the initial loss. Either way the
/// model of the last epoch before it and the metrics up to that epoch are saved, and the run exits 1.</item>
/// <item>A classification that ends no better than chance gets a warning.</item>
/// </list>
/// </summary>
/// <param name="plan">What to train.</param>
/// <param name="folder">Where to write.</param>
/// <param name="terminal">Where to report.</param>
/// <param name="interruption">Ctrl+C and SIGTERM.</param>
/// <param name="checkpointEvery">Epochs between checkpoints.</param>
/// <param name="resumed">The checkpoint to continue from, or null for a new run.</param>
public sealed class TrainingSession(TrainingPlan plan, RunFolder folder, Terminal terminal, Interruption interruption, int checkpointEvery, ResumedRun? resumed)
{
    /// <summary>How many times the initial loss an epoch's mean training loss may reach before training counts as diverged.</summary>
    public const double ExplosionFactor = 1000;

    /// <summary>The epochs after which a classification no better than chance is warned about.</summary>
    public const int ChanceEpochs = 10;

    /// <summary>How far above chance (always predicting the most frequent class) the training accuracy must end to count as learning.</summary>
    public const double ChanceMargin = 0.01;

    /// <summary>Off a terminal, progress is a line per tenth of the epochs, and at least one line every this long.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(10);

    private readonly List<MetricsRow> rows = [.. resumed?.Metrics ?? []];
    private readonly GradientReport gradients = resumed?.Gradients ?? new GradientReport();
    private readonly string settings = RunSettings.Encode(plan.Settings);
    private double initialLoss;

    /// <summary>Trains, saves and reports; returns the exit code.</summary>
    public int Run()
    {
        var network = plan.Network;
        var loss = plan.Loss;
        var options = plan.Options;
        var console = terminal.Messages;
        TrainingRun run;
        try { run = resumed is null ? new TrainingRun(network, loss, plan.Train, options) : TrainingRun.Resume(network, loss, plan.Train, resumed.Checkpoint); }
        catch (ArgumentException e) when (resumed is not null) { throw new BadInputException($"--resume '{folder.Path}': the checkpoint does not fit the run: {Choices.Reason(e)}", e); }
        console.MarkupLine($"{(resumed is null ? "Training" : $"Resuming after epoch {run.EpochsDone}:")} [bold]{Markup.Escape(plan.Description)}[/], {loss.Name} loss, " +
                           $"on [bold]{Markup.Escape(plan.DataName)}[/]: {plan.Train.Count} training and {plan.Test.Count} test samples, " +
                           Markup.Escape(Settings(options)) + $"batch {options.BatchSize}, {options.Epochs} epoch{(options.Epochs == 1 ? "" : "s")}, seed {options.Seed}.");
        initialLoss = resumed?.InitialLoss ?? Evaluation.Evaluate(network, loss, plan.Train).Loss;
        var lastGood = run.Checkpoint();
        var diagnostics = plan.Diagnostics ? new GradientDiagnostics(network) : null;
        void AfterStep()
        {
            diagnostics?.Observe();
            interruption.Token.ThrowIfCancellationRequested();
        }
        using var deferred = interruption.Defer();
        var clock = Stopwatch.StartNew();
        void Epochs(Action<MetricsRow> progress)
        {
            while (!run.Finished)
            {
                var report = run.RunEpoch(AfterStep);
                if (!(report.Loss <= ExplosionFactor * initialLoss) && initialLoss > 0)
                    throw new LossExplosion(report.Epoch, report.Loss, initialLoss);
                var (testLoss, testAccuracy) = Evaluation.Evaluate(network, loss, plan.Test);
                rows.Add(new MetricsRow(report.Epoch, report.Loss, report.Accuracy, testLoss, testAccuracy));
                if (diagnostics is not null)
                {
                    gradients.Add(report.Epoch, diagnostics.Mean);
                    diagnostics.Reset();
                }
                lastGood = run.Checkpoint();
                if (report.Epoch % checkpointEvery == 0) WriteCheckpoint(lastGood);
                progress(rows[^1]);
            }
        }
        string? diverged = null;
        try
        {
            if (terminal.Interactive)
                console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn { Width = 16 }, new ElapsedTimeColumn())
                    .Start(progress =>
                    {
                        var task = progress.AddTask("epoch 0", maxValue: options.Epochs);
                        task.Value = run.EpochsDone;
                        // The bar and the clock take about 30 columns; the description gets the rest, so no line wraps.
                        int room = Math.Max(20, console.Profile.Width - 30);
                        Epochs(row =>
                        {
                            task.Description = Markup.Escape(Compact(row, options.Epochs, room));
                            task.Value = row.Epoch;
                        });
                    });
            else
            {
                var lastLine = TimeSpan.Zero;
                Epochs(row =>
                {
                    if (row.Epoch % Math.Max(1, options.Epochs / 10) != 0 && row.Epoch != options.Epochs && clock.Elapsed - lastLine < ProgressInterval) return;
                    lastLine = clock.Elapsed;
                    console.WriteLine(Describe(row, options.Epochs));
                });
            }
        }
        catch (TrainingDivergedException e)
        {
            diverged = e.Message;
        }
        catch (LossExplosion e)
        {
            diverged = e.Message;
        }
        catch (OperationCanceledException) when (interruption.Token.IsCancellationRequested)
        {
            Restore(network, lastGood);
            var saved = Save(lastGood);
            WriteCheckpoint(lastGood);
            saved.Add(ResumedRun.FileName);
            console.WriteLine($"Stopped by {interruption.SignalName} during epoch {lastGood.EpochsDone + 1} of {options.Epochs}. Wrote {folder.Path}/: " +
                              (lastGood.EpochsDone == 0 ? "the initial model" : $"the model after epoch {lastGood.EpochsDone} and its metrics") +
                              $": {string.Join(", ", saved)}. Resume with: nn train --resume {folder.Path}");
            return interruption.ExitCode;
        }
        var elapsed = clock.Elapsed;
        if (diverged is not null)
        {
            Restore(network, lastGood);
            var saved = Save(lastGood);
            console.WriteLine(rows.Count == 0
                ? $"Wrote {folder.Path}/: the initial model (no epoch finished before the divergence): {string.Join(", ", saved)}."
                : $"Wrote {folder.Path}/: the model after epoch {rows[^1].Epoch}, the last before the divergence, and its metrics: {string.Join(", ", saved)}.");
            terminal.WriteError(diverged);
            return App.Failed;
        }
        var final = run.Checkpoint();
        run.RestoreBest();
        var written = Save(final);
        WriteCheckpoint(final);
        written.Add(ResumedRun.FileName);
        var (trainLoss, trainAccuracy) = Evaluation.Evaluate(network, loss, plan.Train);
        var (testLoss, testAccuracy) = Evaluation.Evaluate(network, loss, plan.Test);
        var table = new Table().AddColumns("", "loss", "accuracy");
        table.AddRow("train", Format(trainLoss), Format(trainAccuracy));
        table.AddRow("test", Format(testLoss), Format(testAccuracy));
        console.Write(table);
        if (gradients.SlowFirstLayer() is { } slow) terminal.WriteWarning(slow);
        console.WriteLine($"Trained in {elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s" +
                          (final.Stopped ? $", stopped early after epoch {final.EpochsDone} (the best epoch's parameters kept)" : "") +
                          $". Wrote {folder.Path}/: {string.Join(", ", written)}.");
        if (plan.Chance is { } chance && final.EpochsDone >= ChanceEpochs && trainAccuracy is { } accuracy && accuracy <= chance + ChanceMargin)
            terminal.WriteWarning($"after {final.EpochsDone} epochs the training accuracy {Format(accuracy)} is no better than chance ({Format(chance)}, always predicting " +
                                  "the most frequent class): the network did not learn. Try another --lr, more --epochs or another --activation.");
        terminal.Output.WriteLine(plan.Settings.Format == "json"
            ? Json.Object(("folder", folder.Path), ("model", folder.File("model.safetensors")), ("epochs", final.EpochsDone), ("stopped_early", final.Stopped),
                ("train", Json.Node(new System.Text.Json.Nodes.JsonObject { ["loss"] = Json.Node(trainLoss), ["accuracy"] = Json.Node(trainAccuracy) })),
                ("test", Json.Node(new System.Text.Json.Nodes.JsonObject { ["loss"] = Json.Node(testLoss), ["accuracy"] = Json.Node(testAccuracy) })),
                ("seconds", elapsed.TotalSeconds))
            : folder.Path);
        return App.Ok;
    }

    /// <summary>Writes the model (with the run's settings and the optimizer's step count), the metrics and the plots; returns the files written.</summary>
    private List<string> Save(TrainingCheckpoint state)
    {
        var metadata = plan.Record.ToMetadata();
        metadata["epochs_trained"] = state.EpochsDone.ToString(CultureInfo.InvariantCulture);
        metadata["training"] = TrainingOptionsCodec.Encode(state.Options).ToJsonString();
        metadata["optimizer_steps"] = (state.OptimizerState.FirstOrDefault(t => t.Name == "step")?.Values[0] ?? 0).ToString("R", CultureInfo.InvariantCulture);
        var written = new List<string>();
        OutputFiles.Write(folder.File("model.safetensors"), "--out", path =>
            ModelFile.Save(path, new Model(plan.Network, plan.Loss, plan.Standardizer, metadata, plan.Classes)));
        written.Add("model.safetensors");
        OutputFiles.Write(folder.File("metrics.csv"), "--out", path => Metrics.WriteCsv(path, rows));
        written.Add("metrics.csv");
        if (rows.Count > 0)
        {
            OutputFiles.Write(folder.File("loss.png"), "--out", path => Metrics.Plot(path, rows, "Loss", r => r.TrainLoss, r => r.TestLoss));
            written.Add("loss.png");
            if (plan.Loss.HasAccuracy)
            {
                OutputFiles.Write(folder.File("accuracy.png"), "--out", path => Metrics.Plot(path, rows, "Accuracy", r => r.TrainAccuracy ?? 0, r => r.TestAccuracy ?? 0));
                written.Add("accuracy.png");
            }
        }
        if (plan.Diagnostics && rows.Count > 0)
        {
            OutputFiles.Write(folder.File("gradients.csv"), "--out", gradients.WriteCsv);
            OutputFiles.Write(folder.File("gradients.png"), "--out", gradients.PlotGradients);
            written.AddRange(["gradients.csv", "gradients.png"]);
            bool saturation = false;
            OutputFiles.Write(folder.File("saturation.png"), "--out", path => saturation = gradients.PlotSaturation(path));
            if (saturation) written.Add("saturation.png");
        }
        return written;
    }

    /// <summary>Writes the checkpoint of <paramref name="state"/> (atomically) and the metrics up to it.</summary>
    private void WriteCheckpoint(TrainingCheckpoint state)
    {
        var metrics = rows.Where(r => r.Epoch <= state.EpochsDone).ToList();
        var metadata = ResumedRun.Metadata(settings, plan.Record.Digest, metrics, initialLoss, plan.Diagnostics ? gradients : null);
        OutputFiles.Write(folder.File(ResumedRun.FileName), "--out", path => CheckpointFile.Save(path, state, metadata));
        OutputFiles.Write(folder.File("metrics.csv"), "--out", path => Metrics.WriteCsv(path, metrics));
    }

    /// <summary>Puts a checkpoint's parameters back into the network.</summary>
    private static void Restore(Engine.Networks.Network network, TrainingCheckpoint state)
    {
        for (int p = 0; p < state.Parameters.Count; p++) state.Parameters[p].Values.CopyTo(network.Parameters[p].Values, 0);
    }

    /// <summary>
    /// The optimizer and schedule in words, each with only the hyperparameters that differ from the registry's defaults; plain
    /// SGD at a constant rate is the notes' "η = 0.5".
    /// </summary>
    private static string Settings(TrainingOptions options)
    {
        static string Changed(INamed component, INamed defaults)
        {
            var changed = Hyperparameters.ValuesOf(component).Zip(Hyperparameters.ValuesOf(defaults))
                .Where(pair => !Equals(pair.First.Value, pair.Second.Value))
                .Select(pair => $"{pair.First.Parameter.Name}={Hyperparameter.Format(pair.First.Value)}").ToList();
            return changed.Count == 0 ? component.Name : $"{component.Name} ({string.Join(", ", changed)})";
        }
        string optimizer = Changed(options.Optimizer, Registry<Engine.Optimizers.Optimizer>.Builtin.Get(options.Optimizer.Name));
        bool constant = options.Schedule.Name == "constant";
        string rate = (constant ? "η = " : "γ₀ = ") + options.LearningRate.ToString(CultureInfo.InvariantCulture);
        string schedule = constant ? "" : Changed(options.Schedule, Registry<Engine.Schedules.Schedule>.Builtin.Get(options.Schedule.Name)) + " schedule, ";
        string clipping = options.MaxGradientNorm is { } norm ? $"gradients clipped to norm {norm.ToString(CultureInfo.InvariantCulture)}, " : "";
        string stopping = options.ValidationFraction > 0
            ? $"early stopping on {options.ValidationFraction.ToString(CultureInfo.InvariantCulture)} held out (patience {options.Patience}), " : "";
        return (optimizer == "sgd" ? "" : optimizer + ", ") + rate + ", " + schedule + clipping + stopping;
    }

    private static string Describe(MetricsRow row, int epochs) =>
        $"epoch {row.Epoch}/{epochs}  loss {Format(row.TrainLoss)}  accuracy {Format(row.TrainAccuracy)}  test accuracy {Format(row.TestAccuracy)}";

    /// <summary>The progress line's figures, as many as fit in <paramref name="room"/> columns.</summary>
    private static string Compact(MetricsRow row, int epochs, int room)
    {
        string[] parts = [$"epoch {row.Epoch}/{epochs}", $"loss {Format(row.TrainLoss)}", $"acc {Format(row.TrainAccuracy)}", $"test {Format(row.TestAccuracy)}"];
        string line = parts[0];
        foreach (string part in parts.Skip(1))
        {
            if (line.Length + 1 + part.Length > room) break;
            line += " " + part;
        }
        return line;
    }

    private static string Format(double? value) => value is { } v ? v.ToString("F4", CultureInfo.InvariantCulture) : "-";

    /// <summary>An epoch's loss grew past <see cref="ExplosionFactor"/> times the initial loss.</summary>
    private sealed class LossExplosion(int epoch, double loss, double initial)
        : Exception($"Training diverged at epoch {epoch}: its mean training loss {loss.ToString("G4", CultureInfo.InvariantCulture)} exceeds " +
                    $"{ExplosionFactor.ToString(CultureInfo.InvariantCulture)} times the initial loss {initial.ToString("G4", CultureInfo.InvariantCulture)}; " +
                    "lower --lr, or standardize the targets.");
}
