using System.Diagnostics;
using System.Globalization;
using Engine.Diagnostics;
using Engine.Serialization;
using Engine.Training;
using Spectre.Console;

namespace Engine.Cli.Runs;

/// <summary>
/// Trains a prepared plan into its run folder, with progress on standard error. Divergence is caught by two rules: a
/// non-finite loss or gradient (the trainer stops before applying that step), and an explosion, an epoch whose mean training
/// loss exceeds <see cref="ExplosionFactor"/> times the initial loss. Either way the model of the last epoch before it and the
/// metrics up to that epoch are saved, and the run exits 1. A classification that ends no better than chance gets a warning.
/// </summary>
/// <param name="plan">What to train.</param>
/// <param name="folder">Where to write.</param>
/// <param name="terminal">Where to report.</param>
/// <param name="interruption">Ctrl+C and SIGTERM: either stops training after the current step; the run saves what it has.</param>
public sealed class TrainingRun(TrainingPlan plan, RunFolder folder, Terminal terminal, Interruption interruption)
{
    /// <summary>How many times the initial loss an epoch's mean training loss may reach before training counts as diverged.</summary>
    public const double ExplosionFactor = 1000;

    /// <summary>The epochs after which a classification no better than chance is warned about.</summary>
    public const int ChanceEpochs = 10;

    /// <summary>How far above chance (always predicting the most frequent class) the training accuracy must end to count as learning.</summary>
    public const double ChanceMargin = 0.01;

    /// <summary>Off a terminal, progress is a line per tenth of the epochs, and at least one line every this long.</summary>
    public static readonly TimeSpan ProgressInterval = TimeSpan.FromSeconds(10);

    private readonly List<MetricsRow> rows = [];
    private readonly GradientReport gradients = new();

    /// <summary>Trains, saves and reports; returns the exit code.</summary>
    public int Run()
    {
        var network = plan.Network;
        var loss = plan.Loss;
        var options = plan.Options;
        var console = terminal.Messages;
        console.MarkupLine($"Training [bold]{Markup.Escape(plan.Description)}[/], {loss.Name} loss, on [bold]{Markup.Escape(plan.DataName)}[/]: " +
                           $"{plan.Train.Count} training and {plan.Test.Count} test samples, η = {options.LearningRate.ToString(CultureInfo.InvariantCulture)}, " +
                           $"batch {options.BatchSize}, {options.Epochs} epochs, seed {options.Seed}.");
        double initialLoss = Evaluation.Evaluate(network, loss, plan.Train).Loss;
        var lastGood = Snapshot(network);
        var diagnostics = plan.Diagnostics ? new GradientDiagnostics(network) : null;
        void AfterStep()
        {
            diagnostics?.Observe();
            interruption.Token.ThrowIfCancellationRequested();
        }
        Action afterStep = AfterStep;
        using var deferred = interruption.Defer();
        var clock = Stopwatch.StartNew();
        string? diverged = null;
        void Record(EpochReport report)
        {
            if (!(report.Loss <= ExplosionFactor * initialLoss) && initialLoss > 0)
                throw new LossExplosion(report.Epoch, report.Loss, initialLoss);
            var (testLoss, testAccuracy) = Evaluation.Evaluate(network, loss, plan.Test);
            rows.Add(new MetricsRow(report.Epoch, report.Loss, report.Accuracy, testLoss, testAccuracy));
            lastGood = Snapshot(network);
            if (diagnostics is null) return;
            gradients.Add(report.Epoch, diagnostics.Mean);
            diagnostics.Reset();
        }
        try
        {
            if (terminal.Interactive)
                console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn { Width = 16 }, new ElapsedTimeColumn())
                    .Start(progress =>
                    {
                        var task = progress.AddTask("epoch 0", maxValue: options.Epochs);
                        // The bar and the clock take about 30 columns; the description gets the rest, so no line wraps.
                        int room = Math.Max(20, console.Profile.Width - 30);
                        Trainer.Train(network, loss, plan.Train, options, report =>
                        {
                            Record(report);
                            task.Description = Markup.Escape(Compact(rows[^1], options.Epochs, room));
                            task.Increment(1);
                        }, afterStep);
                    });
            else
            {
                var lastLine = TimeSpan.Zero;
                Trainer.Train(network, loss, plan.Train, options, report =>
                {
                    Record(report);
                    if (report.Epoch % Math.Max(1, options.Epochs / 10) != 0 && report.Epoch != options.Epochs && clock.Elapsed - lastLine < ProgressInterval) return;
                    lastLine = clock.Elapsed;
                    console.WriteLine(Describe(rows[^1], options.Epochs));
                }, afterStep);
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
            var saved = Save();
            int done = rows.Count == 0 ? 0 : rows[^1].Epoch;
            console.WriteLine($"Stopped by {interruption.SignalName} during epoch {done + 1} of {options.Epochs}. Wrote {folder.Path}/: " +
                              (done == 0 ? "the initial model" : $"the model after epoch {done} and its metrics") + $": {string.Join(", ", saved)}.");
            return interruption.ExitCode;
        }
        var elapsed = clock.Elapsed;
        if (diverged is not null) Restore(network, lastGood);

        var written = Save();
        if (diverged is not null)
        {
            console.WriteLine(rows.Count == 0
                ? $"Wrote {folder.Path}/: the initial model (no epoch finished before the divergence): {string.Join(", ", written)}."
                : $"Wrote {folder.Path}/: the model after epoch {rows[^1].Epoch}, the last before the divergence, and its metrics: {string.Join(", ", written)}.");
            terminal.WriteError(diverged);
            return App.Failed;
        }
        var (trainLoss, trainAccuracy) = Evaluation.Evaluate(network, loss, plan.Train);
        var (testLoss, testAccuracy) = Evaluation.Evaluate(network, loss, plan.Test);
        var table = new Table().AddColumns("", "loss", "accuracy");
        table.AddRow("train", Format(trainLoss), Format(trainAccuracy));
        table.AddRow("test", Format(testLoss), Format(testAccuracy));
        console.Write(table);
        if (gradients.SlowFirstLayer() is { } slow) terminal.WriteWarning(slow);
        console.WriteLine($"Trained in {elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s. Wrote {folder.Path}/: {string.Join(", ", written)}.");
        if (plan.Chance is { } chance && options.Epochs >= ChanceEpochs && trainAccuracy is { } accuracy && accuracy <= chance + ChanceMargin)
            terminal.WriteWarning($"after {options.Epochs} epochs the training accuracy {Format(accuracy)} is no better than chance ({Format(chance)}, always predicting " +
                                  "the most frequent class): the network did not learn. Try another --lr, more --epochs or another --activation.");
        terminal.Output.WriteLine(folder.Path);
        return App.Ok;
    }

    /// <summary>Writes the model, the metrics and the plots; returns the files written.</summary>
    private List<string> Save()
    {
        var metadata = plan.Record.ToMetadata();
        metadata["epochs_trained"] = (rows.Count == 0 ? 0 : rows[^1].Epoch).ToString(CultureInfo.InvariantCulture);
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

    private static double[][] Snapshot(Engine.Networks.Network network) => network.Parameters.Select(p => (double[])p.Values.Clone()).ToArray();

    private static void Restore(Engine.Networks.Network network, double[][] snapshot)
    {
        for (int p = 0; p < snapshot.Length; p++) snapshot[p].CopyTo(network.Parameters[p].Values, 0);
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
