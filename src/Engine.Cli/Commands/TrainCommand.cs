using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using Engine.Activations;
using Engine.Data;
using Engine.Diagnostics;
using Engine.Losses;
using Engine.Networks;
using Engine.Serialization;
using Engine.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Engine.Cli.Commands;

/// <summary><c>nn train</c>.</summary>
public sealed class TrainCommand(Terminal terminal) : Command<TrainCommand.Settings>
{
    /// <summary>Options of <c>nn train</c>; the defaults are the notes' network scaled to the digits data.</summary>
    public sealed class Settings : GlobalSettings
    {
        /// <summary>Layer widths, input first.</summary>
        [CommandOption("--layers <WIDTHS>")]
        [Description("Layer widths, input first, comma-separated (default: features,16,16,classes). --model dense only.")]
        public string? Layers { get; init; }

        /// <summary>Hidden activation.</summary>
        [CommandOption("--activation <NAME>")]
        [Description("Activation of the hidden layers: any registered name, e.g. sigmoid, tanh, relu, gelu (default: sigmoid). --model dense only.")]
        public string? Activation { get; init; }

        /// <summary>Output activation.</summary>
        [CommandOption("--output-activation <NAME>")]
        [Description("Activation of the output layer (default: softmax for classification, identity for regression).")]
        public string? OutputActivation { get; init; }

        /// <summary>The loss.</summary>
        [CommandOption("--loss <NAME>")]
        [Description("Loss: any registered name, e.g. mse, bce, cce, sparse-cce, hinge (default: sparse-cce for classification, mse otherwise).")]
        public string? Loss { get; init; }

        /// <summary>The seed.</summary>
        [CommandOption("--seed <N>")]
        [Description("Seed of the split, the initial weights and the shuffling: the same seed gives the same run.")]
        [DefaultValue(1)]
        public int Seed { get; init; } = 1;

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
        [Description("Learning rate η of SGD (default: 0.5 for dense, 0.05 for cnn).")]
        public double? LearningRate { get; init; }

        /// <summary>Batch size.</summary>
        [CommandOption("--batch <N>")]
        [Description("Mini-batch size (1 = per-sample SGD).")]
        [DefaultValue(32)]
        public int Batch { get; init; } = 32;

        /// <summary>Epochs.</summary>
        [CommandOption("--epochs <N>")]
        [Description("Passes over the training data (default: 60 for dense, 20 for cnn).")]
        public int? Epochs { get; init; }

        /// <summary>The architecture.</summary>
        [CommandOption("--model <KIND>")]
        [Description("dense: the layers of --layers; cnn: conv 3×3 (16, same) → ReLU → conv 3×3 (32, same) → ReLU → max pool 2 → dense → softmax.")]
        [DefaultValue("dense")]
        public string Model { get; init; } = "dense";

        /// <summary>The image shape for --model cnn.</summary>
        [CommandOption("--image <C,H,W>")]
        [Description("Image shape of each sample for --model cnn (default: 1,8,8 for digits, square single-channel otherwise).")]
        public string? Image { get; init; }

        /// <summary>Threads of the matrix products.</summary>
        [CommandOption("--threads <N>")]
        [Description("Threads the matrix products may use (default: one per processor). The trained model does not depend on it.")]
        public int? Threads { get; init; }

        /// <summary>Per-layer gradient statistics.</summary>
        [CommandOption("--diagnostics")]
        [Description("Also record per-layer gradient statistics at every step (‖δ‖, ‖∂C/∂W‖, ‖∂C/∂b‖, ‖Δw‖/‖w‖, saturated units): " +
                     "gradients.csv, gradients.png and saturation.png, and a warning when the first layer learns over 100 times slower than the last.")]
        public bool Diagnostics { get; init; }

        /// <summary>Output folder.</summary>
        [CommandOption("--out <DIR>")]
        [Description("Output folder (default: runs/<timestamp>/).")]
        public string? Out { get; init; }
    }

    /// <summary>The most threads --threads accepts.</summary>
    private const int MaxThreads = 256;

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        int threads = Choices.InRange(settings.Threads ?? Math.Min(Environment.ProcessorCount, MaxThreads), "--threads", 1, MaxThreads);
        bool cnn = Choices.OneOf(settings.Model, "--model", "dense", "cnn") == "cnn";
        if (!cnn && settings.Image is not null) throw new BadInputException("--image applies only to --model cnn.");
        if (cnn && (settings.Layers ?? settings.Activation) is not null)
            throw new BadInputException($"{(settings.Layers is not null ? "--layers" : "--activation")} applies only to --model dense; the cnn's layers are fixed (see --help).");
        int epochs = Choices.InRange(settings.Epochs ?? (cnn ? 20 : 60), "--epochs", 1);
        double learningRate = Choices.Positive(settings.LearningRate ?? (cnn ? 0.05 : 0.5), "--lr");
        int batch = Choices.InRange(settings.Batch, "--batch", 1);
        var all = DataSources.LoadChecked(settings.Data, settings.Labels);
        if (settings.Labels is not null && !DataSources.IsIdx(settings.Data))
            throw new BadInputException($"--labels applies only to IDX images; --data {settings.Data} is not an IDX file.");
        int classes = DataSources.Classes(all);
        var loss = Choices.Registered(Registry<Loss>.Builtin, settings.Loss ?? (classes > 1 ? "sparse-cce" : "mse"), "--loss");
        int outputs = classes > 1 ? classes : 1;
        var (network, description) = cnn ? ConvolutionalNetwork(settings, all, loss, outputs, classes) : DenseNetwork(settings, all, loss, outputs, classes);
        network.Threads = threads;
        var options = new SgdOptions { LearningRate = learningRate, BatchSize = batch, Epochs = epochs, Seed = settings.Seed };

        var (rawTrain, rawTest) = classes > 1 ? Split.Stratified(all, 0.2, settings.Seed) : Split.Random(all, 0.2, settings.Seed);
        if (rawTest.Count == 0 || rawTrain.Count == 0)
            throw new BadInputException($"--data {settings.Data} has too few samples (per class) for an 80/20 split: {rawTrain.Count} training and {rawTest.Count} test.");
        var standardizer = Standardizer.Fit(rawTrain);
        var train = TargetEncoding.Encode(standardizer.Transform(rawTrain), loss, network.OutputSize);
        var test = TargetEncoding.Encode(standardizer.Transform(rawTest), loss, network.OutputSize);

        string folder = settings.Out ?? Path.Combine("runs", DateTime.Now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
        Directory.CreateDirectory(folder);
        var console = terminal.Messages;
        console.MarkupLine($"Training [bold]{Markup.Escape(description)}[/], {loss.Name} loss, " +
                           $"on [bold]{Markup.Escape(settings.Data)}[/]: {train.Count} training and {test.Count} test samples, " +
                           $"η = {learningRate.ToString(CultureInfo.InvariantCulture)}, batch {batch}, {epochs} epochs, seed {settings.Seed}.");
        var rows = new List<MetricsRow>();
        var diagnostics = settings.Diagnostics ? new GradientDiagnostics(network) : null;
        var gradients = new GradientReport();
        Action? afterStep = diagnostics is null ? null : diagnostics.Observe;
        var clock = Stopwatch.StartNew();
        void Record(EpochReport report)
        {
            var (testLoss, testAccuracy) = Evaluation.Evaluate(network, loss, test);
            rows.Add(new MetricsRow(report.Epoch, report.Loss, report.Accuracy, testLoss, testAccuracy));
            if (diagnostics is null) return;
            gradients.Add(report.Epoch, diagnostics.Mean);
            diagnostics.Reset();
        }
        try
        {
            if (terminal.Interactive)
                console.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .Start(progress =>
                    {
                        var task = progress.AddTask("epoch 0", maxValue: Math.Max(1, epochs));
                        Sgd.Train(network, loss, train, options, report =>
                        {
                            Record(report);
                            task.Description = Describe(rows[^1], epochs);
                            task.Increment(1);
                        }, afterStep);
                    });
            else
                Sgd.Train(network, loss, train, options, report =>
                {
                    Record(report);
                    if (report.Epoch % Math.Max(1, epochs / 10) == 0 || report.Epoch == epochs)
                        console.WriteLine(Describe(rows[^1], epochs));
                }, afterStep);
        }
        catch (TrainingDivergedException e)
        {
            terminal.WriteError(e.Message);
            return App.Failed;
        }
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
        var written = new List<string> { "model.safetensors", "metrics.csv", "loss.png" };
        if (loss.HasAccuracy) written.Add("accuracy.png");
        if (diagnostics is not null)
        {
            gradients.WriteCsv(Path.Combine(folder, "gradients.csv"));
            gradients.PlotGradients(Path.Combine(folder, "gradients.png"));
            written.AddRange(["gradients.csv", "gradients.png"]);
            if (gradients.PlotSaturation(Path.Combine(folder, "saturation.png"))) written.Add("saturation.png");
        }

        var table = new Table().AddColumns("", "loss", "accuracy");
        table.AddRow("train", Format(trainLoss), Format(trainAccuracy));
        table.AddRow("test", Format(finalTestLoss), Format(finalTestAccuracy));
        console.Write(table);
        if (gradients.SlowFirstLayer() is { } slow) terminal.WriteWarning(slow);
        console.MarkupLine($"Trained in {elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s. Wrote {Markup.Escape(folder)}/: {Markup.Escape(string.Join(", ", written))}.");
        terminal.Output.WriteLine(folder);
        return App.Ok;
    }

    private static (Network, string) DenseNetwork(Settings settings, Dataset data, Loss loss, int outputs, int classes)
    {
        var widths = settings.Layers is null ? [data.FeatureCount, 16, 16, outputs] : Choices.Widths(settings.Layers, "--layers");
        if (widths[0] != data.FeatureCount)
            throw new BadInputException($"--layers must start with {data.FeatureCount}, the number of features of {settings.Data}, but starts with {widths[0]}.");
        var hidden = Choices.Registered(Registry<Activation>.Builtin, settings.Activation ?? "sigmoid", "--activation");
        var output = OutputActivation.Choose(settings.OutputActivation, loss, widths[^1], preferSoftmax: classes > 1);
        var network = Network.Dense(widths, hidden, output);
        network.Initialize(WeightInitialization.Glorot, settings.Seed);
        return (network, $"{string.Join("→", widths)}, {hidden.Name} hidden, {output.Name} output");
    }

    /// <summary>Seed 000's CNN scaled to the image: two 3×3 'same' convolutions with ReLU, 2×2 max pooling, a dense softmax layer.</summary>
    private static (Network, string) ConvolutionalNetwork(Settings settings, Dataset data, Loss loss, int outputs, int classes)
    {
        var image = ParseImage(settings, data);
        var relu = Registry<Activation>.Builtin.Get("relu");
        var first = new Conv2D(image, 16, 3, 3, 1, "same", relu);
        var second = new Conv2D(first.OutputShape, 32, 3, 3, 1, "same", relu);
        var pool = new MaxPool2D(second.OutputShape, 2);
        var flatten = new Flatten(pool.OutputShape);
        var output = new Dense(flatten.OutputSize, outputs, OutputActivation.Choose(settings.OutputActivation, loss, outputs, preferSoftmax: classes > 1));
        var network = new Network(first, second, pool, flatten, output);
        network.Initialize(WeightInitialization.He, settings.Seed);
        return (network, $"conv 3×3 ×16 → ReLU → conv 3×3 ×32 → ReLU → max pool 2 → dense {outputs} → {output.Activation.Name} on {image} images");
    }

    private static ImageShape ParseImage(Settings settings, Dataset data)
    {
        if (settings.Image is { } text)
        {
            var parts = text.Split(',', StringSplitOptions.TrimEntries);
            if (parts.Length != 3 || !parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v > 0))
                throw new BadInputException($"--image must be three positive whole numbers C,H,W, but is '{text}'.");
            var shape = new ImageShape(int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture));
            return shape.Size == data.FeatureCount ? shape
                : throw new BadInputException($"--image {text} holds {shape.Size} values, but each sample of {settings.Data} has {data.FeatureCount}.");
        }
        int side = (int)Math.Round(Math.Sqrt(data.FeatureCount));
        return side * side == data.FeatureCount ? new ImageShape(1, side, side)
            : throw new BadInputException($"--image C,H,W is needed: the {data.FeatureCount} features of {settings.Data} are not a square single-channel image.");
    }

    private static string Describe(MetricsRow row, int epochs) =>
        $"epoch {row.Epoch}/{epochs}  loss {Format(row.TrainLoss)}  accuracy {Format(row.TrainAccuracy)}  test accuracy {Format(row.TestAccuracy)}";

    private static string Format(double? value) => value is { } v ? v.ToString("F4", CultureInfo.InvariantCulture) : "-";
}
