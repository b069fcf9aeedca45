using System.ComponentModel;
using System.Globalization;
using Engine.Activations;
using Engine.Cli.Inputs;
using Engine.Cli.Runs;
using Engine.Data;
using Engine.Losses;
using Engine.Networks;
using Engine.Training;
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

        /// <summary>The optimizer.</summary>
        [CommandOption("--optimizer <NAME>")]
        [Description("The update rule: sgd (default), adam, adamw, rmsprop, adagrad (any registered optimizer), with PyTorch's semantics.")]
        public string? Optimizer { get; init; }

        /// <summary>Learning rate.</summary>
        [CommandOption("--lr <RATE>")]
        [Description("Initial learning rate γ₀ (default: dense sgd 0.5, adam and adamw 0.03, rmsprop 0.003, adagrad 0.1, tuned on the digits; cnn sgd 0.05; otherwise PyTorch's default).")]
        public double? LearningRate { get; init; }

        /// <summary>Momentum.</summary>
        [CommandOption("--momentum <M>")]
        [Description("Momentum μ of sgd or rmsprop (default 0).")]
        public double? Momentum { get; init; }

        /// <summary>Nesterov momentum.</summary>
        [CommandOption("--nesterov")]
        [Description("Nesterov momentum for sgd (needs --momentum > 0).")]
        public bool Nesterov { get; init; }

        /// <summary>β₁.</summary>
        [CommandOption("--beta1 <B>")]
        [Description("β₁ of adam and adamw (default 0.9).")]
        public double? Beta1 { get; init; }

        /// <summary>β₂.</summary>
        [CommandOption("--beta2 <B>")]
        [Description("β₂ of adam and adamw (default 0.999).")]
        public double? Beta2 { get; init; }

        /// <summary>ε.</summary>
        [CommandOption("--eps <E>")]
        [Description("ε of adam, adamw, rmsprop and adagrad (defaults 1e-8, 1e-8, 1e-8, 1e-10).")]
        public double? Eps { get; init; }

        /// <summary>Weight decay.</summary>
        [CommandOption("--weight-decay <L>")]
        [Description("Weight decay λ of the weights (coupled L2; decoupled for adamw; default 0, 0.01 for adamw).")]
        public double? WeightDecay { get; init; }

        /// <summary>Gradient clipping.</summary>
        [CommandOption("--clip-norm <N>")]
        [Description("Clip the gradients to this global L2 norm before every step (default: no clipping).")]
        public double? ClipNorm { get; init; }

        /// <summary>Learning-rate schedule.</summary>
        [CommandOption("--schedule <SCHEDULE>")]
        [Description("constant (default), step, exponential, cosine, warmup, with settings after a colon: e.g. step:step-size=10,gamma=0.5, cosine:t-max=50.")]
        public string? Schedule { get; init; }

        /// <summary>Early stopping's hold-out.</summary>
        [CommandOption("--validation-fraction <F>")]
        [Description("Early stopping: hold out this fraction of the training part and stop when its loss stops improving, keeping the best epoch (default 0: off).")]
        public double? ValidationFraction { get; init; }

        /// <summary>Early stopping's patience.</summary>
        [CommandOption("--patience <N>")]
        [Description("Early stopping: epochs without improvement before stopping (default 10; needs --validation-fraction).")]
        public int? Patience { get; init; }

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

        /// <summary>Threads of the training step.</summary>
        [CommandOption("--threads <N>")]
        [Description("Threads a training step may use (its matrix products, the passes around them, the update), 1 to 256 (default: one per processor). The trained model does not depend on it.")]
        public int? Threads { get; init; }

        /// <summary>What standard output gets.</summary>
        [CommandOption("--format <FORMAT>")]
        [Description("text (default): the run folder's path; json: one object with the folder, the model file, the epochs and the final train and test loss and accuracy.")]
        public string? Format { get; init; }

        /// <summary>Per-layer gradient statistics.</summary>
        [CommandOption("--diagnostics")]
        [Description("Also record per-layer gradient statistics at every step (‖δ‖, ‖∂C/∂W‖, ‖∂C/∂b‖, ‖Δw‖/‖w‖, saturated units): " +
                     "gradients.csv, gradients.png and saturation.png, and a warning when the first layer learns over 100 times slower than the last.")]
        public bool Diagnostics { get; init; }

        /// <summary>Output folder.</summary>
        [CommandOption("--out <DIR>")]
        [Description("The run's folder; it must be new or empty (default: a new folder runs/<yyyyMMdd-HHmmss>).")]
        public string? Out { get; init; }

        /// <summary>Checkpoint period.</summary>
        [CommandOption("--checkpoint-every <N>")]
        [Description("Write checkpoint.safetensors every N epochs (default 10), and always when stopped by Ctrl+C or SIGTERM and at the end.")]
        public int? CheckpointEvery { get; init; }

        /// <summary>Resume a run.</summary>
        [CommandOption("--resume <DIR>")]
        [Description("Continue the run in DIR from its checkpoint, with its settings, to the result it would have reached uninterrupted (--epochs may extend it; --threads may change).")]
        public string? Resume { get; init; }

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
        if (settings.Resume is { } folder) return Resume(settings, folder);
        int every = Choices.InRange(settings.CheckpointEvery ?? DefaultCheckpointEvery, "--checkpoint-every", 1);
        var plan = TrainingPlan.Prepare(settings);
        using var run = RunFolder.Claim(settings.Out, settings.Overwrite, DateTime.Now);
        return new TrainingSession(plan, run, terminal, interruption, every, resumed: null).Run();
    }

    /// <summary>Epochs between checkpoints by default.</summary>
    public const int DefaultCheckpointEvery = 10;

    /// <summary><c>nn train --resume DIR</c>: the run's own settings from its checkpoint, the same data, the state restored.</summary>
    private int Resume(Settings given, string folder)
    {
        if (RunSettings.GivenBesidesResume(given).FirstOrDefault() is { } other)
            throw new BadInputException($"{other} does not apply with --resume: the run's settings are in its checkpoint (only --epochs, --threads, --checkpoint-every and --format may be given).");
        int every = Choices.InRange(given.CheckpointEvery ?? DefaultCheckpointEvery, "--checkpoint-every", 1);
        Choices.OneOf(given.Format ?? "text", "--format", "text", "json");
        var resumed = ResumedRun.Load(folder);
        var settings = RunSettings.Decode(resumed.Settings, given, folder);
        var plan = TrainingPlan.Prepare(settings);
        if (plan.Record.Digest != resumed.Digest)
            throw new BadInputException($"--resume '{folder}': the data differ from those the run started on (their SHA-256 changed), so it cannot continue as it would have.");
        var checkpoint = resumed.Checkpoint;
        if (given.Epochs is { } epochs)
        {
            if (epochs < checkpoint.EpochsDone)
                throw new BadInputException($"--epochs {epochs} is fewer than the {checkpoint.EpochsDone} epochs the run in '{folder}' has done.");
            checkpoint = checkpoint with { Options = checkpoint.Options with { Epochs = epochs } };
        }
        if (checkpoint.Stopped || checkpoint.EpochsDone >= checkpoint.Options.Epochs)
            throw new BadInputException($"--resume '{folder}': the run is complete ({checkpoint.EpochsDone} epochs{(checkpoint.Stopped ? ", stopped early" : "")}); pass a larger --epochs to train it longer.");
        using var run = RunFolder.Reclaim(folder);
        return new TrainingSession(plan with { Options = checkpoint.Options }, run, terminal, interruption, every, resumed with { Checkpoint = checkpoint }).Run();
    }

    /// <summary>The options every run checks first, each error naming its option.</summary>
    internal static (bool Cnn, int Epochs, int Batch, int Seed, int Threads, bool Regression, TrainingOptions Options) CheckOptions(Settings settings)
    {
        bool cnn = Choices.OneOf(settings.Model ?? "dense", "--model", "dense", "cnn") == "cnn";
        if (!cnn && settings.Image is not null) throw new BadInputException("--image applies only to --model cnn.");
        if (cnn && settings.Layers is not null) throw new BadInputException("--layers applies only to --model dense; the cnn's layers are fixed (nn train --help).");
        if (cnn && settings.Activation is not null) throw new BadInputException("--activation applies only to --model dense; the cnn's hidden layers use ReLU.");
        if (settings.TestLabels is not null && settings.TestData is null) throw new BadInputException("--test-labels applies only with --test-data.");
        int epochs = Choices.InRange(settings.Epochs ?? (cnn ? 20 : 60), "--epochs", 1);
        int batch = Choices.InRange(settings.Batch ?? 32, "--batch", 1);
        int threads = Choices.InRange(settings.Threads ?? Math.Min(Environment.ProcessorCount, MaxThreads), "--threads", 1, MaxThreads);
        bool regression = Choices.OneOf(settings.Task ?? "classification", "--task", Targets.Tasks) == "regression";
        Choices.OneOf(settings.Format ?? "text", "--format", "text", "json");
        int seed = settings.Seed ?? 1;
        var options = TrainingChoices.Options(settings, cnn, epochs, batch, seed);
        settings.Limit();
        return (cnn, epochs, batch, seed, threads, regression, options);
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

    /// <summary>
    /// Seed 000's CNN scaled to the image: two 3×3 'same' convolutions with ReLU, 2×2 max pooling, a dense output layer; not
    /// initialized yet (so nothing of it allocated), with He's initialization for its ReLU layers.
    /// </summary>
    internal static (Network Network, string Description, WeightInitialization Initialization) ConvolutionalNetwork(Settings settings, ImageShape image, Loss loss, int outputs)
    {
        var relu = Registry<Activation>.Builtin.Get("relu");
        var first = new Conv2D(image, 16, 3, 3, 1, "same", relu);
        var second = new Conv2D(first.OutputShape, 32, 3, 3, 1, "same", relu);
        var pool = new MaxPool2D(second.OutputShape, 2);
        var flatten = new Flatten(pool.OutputShape);
        var output = new Dense(flatten.OutputSize, outputs, OutputActivation.Choose(settings.OutputActivation, loss, outputs));
        var network = new Network(first, second, pool, flatten, output);
        return (network, $"conv 3×3 ×16 → ReLU → conv 3×3 ×32 → ReLU → max pool 2 → dense {outputs} → {output.Activation.Name} on {image} images",
                WeightInitialization.He);
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
