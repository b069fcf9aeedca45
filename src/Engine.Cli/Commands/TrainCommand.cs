using System.ComponentModel;
using System.Globalization;
using Engine.Activations;
using Engine.Cli.Inputs;
using Engine.Cli.Runs;
using Engine.Data;
using Engine.Losses;
using Engine.Networks;
using Spectre.Console.Cli;

namespace Engine.Cli.Commands;

/// <summary><c>nn train</c>: everything is checked before the first step; the run writes into its own folder, whose path it prints.</summary>
public sealed class TrainCommand(Terminal terminal, Interruption interruption) : Command<TrainCommand.Settings>
{
    /// <summary>Options of <c>nn train</c>; the defaults are the notes' network scaled to the digits data.</summary>
    public sealed class Settings : LabelledDataSettings
    {
        /// <summary>The official test part.</summary>
        [CommandOption("--test-data <DATA>")]
        [Description("The test part as its own CSV or IDX images file (e.g. MNIST's t10k-images-idx3-ubyte) instead of an 80/20 split of --data.")]
        public string? TestData { get; init; }

        /// <summary>IDX labels of the test part.</summary>
        [CommandOption("--test-labels <FILE>")]
        [Description("The IDX labels file of --test-data IDX images (default: derived from its name as for --labels).")]
        public string? TestLabels { get; init; }

        /// <summary>The task.</summary>
        [CommandOption("--task <TASK>")]
        [Description("classification (default): labels are integers 0..K−1 with every class present, or names; regression: labels are numbers.")]
        public string? Task { get; init; }

        /// <summary>The architecture.</summary>
        [CommandOption("--model <KIND>")]
        [Description("dense: the layers of --layers (default); cnn: conv 3×3 (16, same) → ReLU → conv 3×3 (32, same) → ReLU → max pool 2 → dense → softmax.")]
        public string? Model { get; init; }

        /// <summary>Layer widths, input first.</summary>
        [CommandOption("--layers <WIDTHS>")]
        [Description("Layer widths, input first, comma-separated; the first must be the number of features, the last the number of classes (or 1 for two classes, or for regression). Default: features,16,16,outputs. --model dense only.")]
        public string? Layers { get; init; }

        /// <summary>Hidden activation.</summary>
        [CommandOption("--activation <NAME>")]
        [Description("Activation of the hidden layers: any registered name, e.g. sigmoid, tanh, relu, gelu (default: sigmoid). --model dense only.")]
        public string? Activation { get; init; }

        /// <summary>Output activation.</summary>
        [CommandOption("--output-activation <NAME>")]
        [Description("Activation of the output layer (default: softmax for classification, identity for regression, or the first the loss accepts).")]
        public string? OutputActivation { get; init; }

        /// <summary>The loss.</summary>
        [CommandOption("--loss <NAME>")]
        [Description("Loss: any registered name, e.g. mse, bce, cce, sparse-cce, hinge (default: sparse-cce for classification, mse for regression).")]
        public string? Loss { get; init; }

        /// <summary>The image shape for --model cnn.</summary>
        [CommandOption("--image <C,H,W>")]
        [Description("Image shape of each sample for --model cnn (default: a square single-channel image). --model cnn only.")]
        public string? Image { get; init; }

        /// <summary>Learning rate.</summary>
        [CommandOption("--lr <RATE>")]
        [Description("Learning rate η of SGD (default: 0.5 for dense, 0.05 for cnn).")]
        public double? LearningRate { get; init; }

        /// <summary>Batch size.</summary>
        [CommandOption("--batch <N>")]
        [Description("Mini-batch size; 1 is per-sample SGD (default: 32).")]
        public int? Batch { get; init; }

        /// <summary>Epochs.</summary>
        [CommandOption("--epochs <N>")]
        [Description("Passes over the training data (default: 60 for dense, 20 for cnn).")]
        public int? Epochs { get; init; }

        /// <summary>The seed.</summary>
        [CommandOption("--seed <N>")]
        [Description("Seed of the split, the initial weights and the shuffling: the same seed gives the same run (default: 1).")]
        public int? Seed { get; init; }

        /// <summary>Threads of the matrix products.</summary>
        [CommandOption("--threads <N>")]
        [Description("Threads the matrix products may use, 1 to 256 (default: one per processor). The trained model does not depend on it.")]
        public int? Threads { get; init; }

        /// <summary>Per-layer gradient statistics.</summary>
        [CommandOption("--diagnostics")]
        [Description("Also record per-layer gradient statistics at every step (‖δ‖, ‖∂C/∂W‖, ‖∂C/∂b‖, ‖Δw‖/‖w‖, saturated units): " +
                     "gradients.csv, gradients.png and saturation.png, and a warning when the first layer learns over 100 times slower than the last.")]
        public bool Diagnostics { get; init; }

        /// <summary>Output folder.</summary>
        [CommandOption("--out <DIR>")]
        [Description("The run's folder; it must be new or empty (default: a new folder runs/<yyyyMMdd-HHmmss>).")]
        public string? Out { get; init; }

        /// <summary>Replace nn's files in a non-empty --out.</summary>
        [CommandOption("--overwrite")]
        [Description("Let --out name a folder that is not empty: the files nn writes there are replaced (others are left alone).")]
        public bool Overwrite { get; init; }
    }

    /// <summary>The fraction of --data held out as the test part when no --test-data is given.</summary>
    public const double TestFraction = 0.2;

    /// <summary>The most threads --threads accepts.</summary>
    private const int MaxThreads = 256;

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var plan = TrainingPlan.Prepare(settings);
        using var folder = RunFolder.Claim(settings.Out, settings.Overwrite, DateTime.Now);
        return new TrainingRun(plan, folder, terminal, interruption).Run();
    }

    /// <summary>The options every run checks first, each error naming its option.</summary>
    internal static (bool Cnn, int Epochs, double LearningRate, int Batch, int Seed, int Threads, bool Regression) CheckOptions(Settings settings)
    {
        bool cnn = Choices.OneOf(settings.Model ?? "dense", "--model", "dense", "cnn") == "cnn";
        if (!cnn && settings.Image is not null) throw new BadInputException("--image applies only to --model cnn.");
        if (cnn && settings.Layers is not null) throw new BadInputException("--layers applies only to --model dense; the cnn's layers are fixed (nn train --help).");
        if (cnn && settings.Activation is not null) throw new BadInputException("--activation applies only to --model dense; the cnn's hidden layers use ReLU.");
        if (settings.TestLabels is not null && settings.TestData is null) throw new BadInputException("--test-labels applies only with --test-data.");
        int epochs = Choices.InRange(settings.Epochs ?? (cnn ? 20 : 60), "--epochs", 1);
        double learningRate = Choices.Positive(settings.LearningRate ?? (cnn ? 0.05 : 0.5), "--lr");
        int batch = Choices.InRange(settings.Batch ?? 32, "--batch", 1);
        int threads = Choices.InRange(settings.Threads ?? Math.Min(Environment.ProcessorCount, MaxThreads), "--threads", 1, MaxThreads);
        bool regression = Choices.OneOf(settings.Task ?? "classification", "--task", Targets.Tasks) == "regression";
        settings.Limit();
        return (cnn, epochs, learningRate, batch, settings.Seed ?? 1, threads, regression);
    }

    /// <summary>The default dense network's widths, or the checked <c>--layers</c>.</summary>
    internal static int[] Widths(Settings settings, int features, int outputs, Classes? classes)
    {
        if (settings.Layers is null) return [features, 16, 16, outputs];
        var widths = Choices.Widths(settings.Layers, "--layers");
        if (widths[0] != features)
            throw new BadInputException($"--layers must start with {features}, the number of features of {settings.Data ?? "digits"}, but starts with {widths[0]}.");
        CheckOutputs(widths[^1], classes, "--layers", $"ends with {widths[^1]}");
        return widths;
    }

    /// <summary>Throws unless <paramref name="outputs"/> suits the task: K (or 1 for two classes), or 1 for regression.</summary>
    internal static void CheckOutputs(int outputs, Classes? classes, string option, string found)
    {
        if (classes is null)
        {
            if (outputs != 1) throw new BadInputException($"{option} {found}, but a regression has one output.");
            return;
        }
        if (outputs != classes.Count && !(outputs == 1 && classes.Count == 2))
            throw new BadInputException($"{option} {found}, but the data have {classes.Count} classes ({classes.Describe()}): the output must be {classes.Count} wide" +
                                        (classes.Count == 2 ? ", or 1 for a binary output." : "."));
    }

    /// <summary>Seed 000's CNN scaled to the image: two 3×3 'same' convolutions with ReLU, 2×2 max pooling, a dense output layer.</summary>
    internal static (Network Network, string Description) ConvolutionalNetwork(Settings settings, ImageShape image, Loss loss, int outputs)
    {
        var relu = Registry<Activation>.Builtin.Get("relu");
        var first = new Conv2D(image, 16, 3, 3, 1, "same", relu);
        var second = new Conv2D(first.OutputShape, 32, 3, 3, 1, "same", relu);
        var pool = new MaxPool2D(second.OutputShape, 2);
        var flatten = new Flatten(pool.OutputShape);
        var output = new Dense(flatten.OutputSize, outputs, OutputActivation.Choose(settings.OutputActivation, loss, outputs));
        var network = new Network(first, second, pool, flatten, output);
        network.Initialize(WeightInitialization.He, settings.Seed ?? 1);
        return (network, $"conv 3×3 ×16 → ReLU → conv 3×3 ×32 → ReLU → max pool 2 → dense {outputs} → {output.Activation.Name} on {image} images");
    }

    /// <summary>The <c>--image</c> shape, checked against the features, or a square single-channel image.</summary>
    internal static ImageShape Image(Settings settings, int features)
    {
        if (settings.Image is { } text)
        {
            var parts = text.Split(',', StringSplitOptions.TrimEntries);
            if (parts.Length != 3 || !parts.All(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v > 0))
                throw new BadInputException($"--image must be three positive whole numbers C,H,W, but is '{text}'.");
            var shape = new ImageShape(int.Parse(parts[0], CultureInfo.InvariantCulture), int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture));
            return (long)shape.Channels * shape.Height * shape.Width == features ? shape
                : throw new BadInputException($"--image {text} holds {(long)shape.Channels * shape.Height * shape.Width} values, but each sample of {settings.Data ?? "digits"} has {features}.");
        }
        int side = (int)Math.Round(Math.Sqrt(features));
        return side * side == features ? new ImageShape(1, side, side)
            : throw new BadInputException($"--image C,H,W is needed: the {features} features of {settings.Data ?? "digits"} are not a square single-channel image.");
    }
}
