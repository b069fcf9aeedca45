using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Engine.Data;
using Engine.Losses;
using Engine.Networks;
using Engine.Serialization;
using Engine.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Engine.Cli.Commands;

/// <summary><c>nn train</c>.</summary>
public sealed class TrainCommand(IAnsiConsole console) : Command<TrainCommand.Settings>
{
    /// <summary>Options of <c>nn train</c>; the defaults are the notes' network scaled to the digits data.</summary>
    public sealed class Settings : NetworkSettings
    {
        /// <summary>The data.</summary>
        [CommandOption("--data <DATA>")]
        [Description("digits | iris | breast-cancer (embedded), a CSV file (label in the last column), or an MNIST-format IDX images file.")]
        [DefaultValue("digits")]
        public string Data { get; init; } = "digits";

        /// <summary>IDX labels file.</summary>
        [CommandOption("--labels <FILE>")]
        [Description("The IDX labels file for --data IDX images (default: the images name with images-idx3 replaced by labels-idx1).")]
        public string? Labels { get; init; }

        /// <summary>Learning rate.</summary>
        [CommandOption("--lr <RATE>")]
        [Description("Learning rate η of SGD.")]
        [DefaultValue(0.5)]
        public double LearningRate { get; init; } = 0.5;

        /// <summary>Batch size.</summary>
        [CommandOption("--batch <N>")]
        [Description("Mini-batch size (1 = per-sample SGD).")]
        [DefaultValue(32)]
        public int Batch { get; init; } = 32;

        /// <summary>Epochs.</summary>
        [CommandOption("--epochs <N>")]
        [Description("Passes over the training data.")]
        [DefaultValue(60)]
        public int Epochs { get; init; } = 60;

        /// <summary>Output folder.</summary>
        [CommandOption("--out <DIR>")]
        [Description("Output folder (default: runs/<timestamp>/).")]
        public string? Out { get; init; }
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var all = DataSources.Load(settings.Data, settings.Labels);
        int classes = DataSources.Classes(all);
        var loss = NetworkSettings.Losses.Get(settings.Loss ?? (classes > 1 ? "sparse-cce" : "mse"));
        var widths = settings.ParseLayers() ?? [all.FeatureCount, 16, 16, classes > 1 ? classes : 1];
        if (widths[0] != all.FeatureCount)
            throw new ArgumentException($"--layers must start with {all.FeatureCount}, the number of features of {settings.Data}, but starts with {widths[0]}.", "layers");
        var output = settings.ChooseOutput(loss, widths[^1], preferSoftmax: classes > 1);
        var network = Network.Dense(widths, NetworkSettings.Activations.Get(settings.Activation), output);
        network.Initialize(WeightInitialization.Glorot, settings.Seed);
        var options = new SgdOptions { LearningRate = settings.LearningRate, BatchSize = settings.Batch, Epochs = settings.Epochs, Seed = settings.Seed };
        options.Validate();

        var (rawTrain, rawTest) = classes > 1 ? Split.Stratified(all, 0.2, settings.Seed) : RandomSplit(all, settings.Seed);
        if (rawTest.Count == 0 || rawTrain.Count == 0)
            throw new ArgumentException($"--data {settings.Data} has too few samples (per class) for an 80/20 split: {rawTrain.Count} training and {rawTest.Count} test.", "data");
        var standardizer = Standardizer.Fit(rawTrain);
        var train = TargetEncoding.Encode(standardizer.Transform(rawTrain), loss, network.OutputSize);
        var test = TargetEncoding.Encode(standardizer.Transform(rawTest), loss, network.OutputSize);

        string folder = settings.Out ?? Path.Combine("runs", DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        console.MarkupLine($"Training [bold]{string.Join("→", widths)}[/] ({settings.Activation} hidden, {output.Name} output, {loss.Name} loss) " +
                           $"on [bold]{Markup.Escape(settings.Data)}[/]: {train.Count} training and {test.Count} test samples, " +
                           $"η = {settings.LearningRate.ToString(CultureInfo.InvariantCulture)}, batch {settings.Batch}, {settings.Epochs} epochs, seed {settings.Seed}.");
        var rows = new List<MetricsRow>();
        var clock = Stopwatch.StartNew();
        void Record(EpochReport report)
        {
            var (testLoss, testAccuracy) = Evaluation.Evaluate(network, loss, test);
            rows.Add(new MetricsRow(report.Epoch, report.Loss, report.Accuracy, testLoss, testAccuracy));
        }
        if (console.Profile.Capabilities.Interactive)
            console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                .Start(progress =>
                {
                    var task = progress.AddTask("epoch 0", maxValue: Math.Max(1, settings.Epochs));
                    Sgd.Train(network, loss, train, options, report =>
                    {
                        Record(report);
                        task.Description = Describe(rows[^1], settings.Epochs);
                        task.Increment(1);
                    });
                });
        else
            Sgd.Train(network, loss, train, options, report =>
            {
                Record(report);
                if (report.Epoch % Math.Max(1, settings.Epochs / 10) == 0 || report.Epoch == settings.Epochs)
                    console.WriteLine(Describe(rows[^1], settings.Epochs));
            });
        var elapsed = clock.Elapsed;

        var (trainLoss, trainAccuracy) = Evaluation.Evaluate(network, loss, train);
        var (finalTestLoss, finalTestAccuracy) = Evaluation.Evaluate(network, loss, test);
        string modelPath = Path.Combine(folder, "model.safetensors");
        ModelFile.Save(modelPath, network, loss, standardizer, new Dictionary<string, string>
        {
            ["data"] = settings.Data,
            ["seed"] = settings.Seed.ToString(CultureInfo.InvariantCulture),
        });
        Metrics.WriteCsv(Path.Combine(folder, "metrics.csv"), rows);
        Metrics.Plot(Path.Combine(folder, "loss.png"), rows, "Loss", r => r.TrainLoss, r => r.TestLoss);
        if (loss.HasAccuracy) Metrics.Plot(Path.Combine(folder, "accuracy.png"), rows, "Accuracy", r => r.TrainAccuracy ?? 0, r => r.TestAccuracy ?? 0);

        var table = new Table().AddColumns("", "loss", "accuracy");
        table.AddRow("train", Format(trainLoss), Format(trainAccuracy));
        table.AddRow("test", Format(finalTestLoss), Format(finalTestAccuracy));
        console.Write(table);
        console.MarkupLine($"Trained in {elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s. Wrote {Markup.Escape(folder)}/: model.safetensors, metrics.csv, loss.png{(loss.HasAccuracy ? ", accuracy.png" : "")}.");
        return App.Ok;
    }

    private static (Dataset, Dataset) RandomSplit(Dataset data, int seed)
    {
        var order = Enumerable.Range(0, data.Count).ToArray();
        new Random(seed).Shuffle(order);
        int test = (int)Math.Round(0.2 * data.Count);
        return (data.Select(order[test..]), data.Select(order[..test]));
    }

    private static string Describe(MetricsRow row, int epochs) =>
        $"epoch {row.Epoch}/{epochs}  loss {Format(row.TrainLoss)}  accuracy {Format(row.TrainAccuracy)}  test accuracy {Format(row.TestAccuracy)}";

    private static string Format(double? value) => value is { } v ? v.ToString("F4", CultureInfo.InvariantCulture) : "-";
}
