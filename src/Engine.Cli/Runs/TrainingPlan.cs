using Engine.Activations;
using Engine.Cli.Commands;
using Engine.Cli.Inputs;
using Engine.Data;
using Engine.Losses;
using Engine.Networks;
using Engine.Training;

namespace Engine.Cli.Runs;

/// <summary>
/// Everything a training run needs, prepared and checked before anything is written or trained: the options, the data read as
/// the task says, the network's shape against the features and the classes, the loss against every target row, and the
/// split. A problem is an error naming the option or the file and line.
/// </summary>
/// <param name="Network">The initialized network.</param>
/// <param name="Description">The network in words.</param>
/// <param name="Loss">The loss.</param>
/// <param name="Train">The standardized training part, targets as the loss takes them.</param>
/// <param name="Test">The standardized test part.</param>
/// <param name="Standardizer">The standardization fitted on the training part.</param>
/// <param name="Classes">The classes; null for regression.</param>
/// <param name="Options">The optimizer, schedule, rate, batch, epochs, seed, clipping and early stopping.</param>
/// <param name="Record">What the model file records about the run.</param>
/// <param name="DataName">The data as named on the command line.</param>
/// <param name="Chance">For a classification, the training accuracy of always predicting the most frequent class.</param>
/// <param name="Diagnostics">Whether to record per-layer gradient statistics (<c>--diagnostics</c>).</param>
/// <param name="Settings">The command line, stored in checkpoints so that <c>--resume</c> prepares the same run.</param>
public sealed record TrainingPlan(Network Network, string Description, Loss Loss, Dataset Train, Dataset Test, Standardizer Standardizer,
    Classes? Classes, TrainingOptions Options, RunRecord Record, string DataName, double? Chance, bool Diagnostics, TrainCommand.Settings Settings)
{
    /// <summary>Checks the options, reads the data and builds the network.</summary>
    /// <param name="settings">The command line.</param>
    public static TrainingPlan Prepare(TrainCommand.Settings settings)
    {
        var (cnn, _, _, seed, threads, regression, options) = TrainCommand.CheckOptions(settings);
        string dataName = settings.Data ?? "digits";
        var reading = settings.LabelledReading();
        var table = DataSource.Load(dataName, settings.Labels, reading, "--data", "--labels");
        var rows = regression ? Targets.Regress(table, "--data") : Targets.Classify(table, null, "--data");
        LabelledRows? testRows = null;
        if (settings.TestData is { } testData)
        {
            var testTable = DataSource.Load(testData, settings.TestLabels, reading, "--test-data", "--test-labels");
            if (testTable.FeatureCount != table.FeatureCount)
                throw new BadInputException($"--test-data {testData} has {testTable.FeatureCount} features, but --data {dataName} has {table.FeatureCount}.");
            testRows = regression ? Targets.Regress(testTable, "--test-data") : Targets.Classify(testTable, rows.Classes, "--test-data");
        }

        var classes = rows.Classes;
        string lossOption = settings.Loss is null ? "the default loss" : "--loss";
        var loss = Choices.Registered(Registry<Loss>.Builtin, settings.Loss ?? (regression ? "mse" : "sparse-cce"), "--loss");
        if (regression && loss.HasAccuracy)
            throw new BadInputException($"--loss {loss.Name} scores classes, but --task regression has numeric targets; use a regression loss such as mse, mae or huber.");
        int defaultOutputs = classes?.Count ?? 1;
        var (network, description, initialization) = cnn
            ? TrainCommand.ConvolutionalNetwork(settings, TrainCommand.Image(settings, table.FeatureCount), loss, defaultOutputs)
            : DenseNetwork(settings, table.FeatureCount, loss, defaultOutputs, classes);
        // Initializing allocates the parameters: the network must be known to fit first.
        ParameterBudget.Check(network, Math.Min(options.BatchSize, table.Count), cnn ? "--image" : "--layers");
        network.Initialize(initialization, settings.Seed ?? 1);
        network.Threads = threads;

        string lossName = $"{lossOption} {loss.Name} with {network.OutputSize} output{(network.OutputSize == 1 ? "" : "s")}";
        var encoded = Targets.Encode(rows, loss, network.OutputSize, lossName);
        var testEncoded = testRows is null ? null : Targets.Encode(testRows, loss, network.OutputSize, lossName);
        int[] trainIndices, testIndices;
        string split;
        if (testEncoded is not null)
        {
            (trainIndices, testIndices, split) = (Enumerable.Range(0, encoded.Count).ToArray(), [], "file");
        }
        else
        {
            (trainIndices, testIndices) = regression
                ? Split.RandomIndices(rows.Rows.Count, TestFraction, seed)
                : Split.StratifiedIndices(rows.Rows.Targets, TestFraction, seed);
            split = regression ? "random" : "stratified";
            if (trainIndices.Length == 0 || testIndices.Length == 0)
                throw new BadInputException($"--data {dataName} has too few rows for an 80/20 split ({rows.Rows.Count}): {trainIndices.Length} for training and {testIndices.Length} for the test; give more rows or a --test-data file.");
        }
        var rawTrain = encoded.Select(trainIndices);
        var rawTest = testEncoded ?? encoded.Select(testIndices);
        var standardizer = Standardizer.Fit(rawTrain);
        double? chance = classes is null || !loss.HasAccuracy ? null
            : trainIndices.GroupBy(i => rows.Rows.Targets[i]).Max(g => g.Count()) / (double)trainIndices.Length;
        var record = new RunRecord(dataName, DataSource.Embedded.ContainsKey(dataName) ? null : Path.GetFullPath(dataName),
            settings.Labels is null ? null : Path.GetFullPath(settings.Labels), settings.TestData is null ? null : Path.GetFullPath(settings.TestData),
            settings.TestLabels is null ? null : Path.GetFullPath(settings.TestLabels), settings.Header, settings.Delimiter, settings.LabelColumn,
            regression ? "regression" : "classification", split, TestFraction, seed, RunRecord.DigestOf(table));
        return new TrainingPlan(network, description, loss, standardizer.Transform(rawTrain), standardizer.Transform(rawTest), standardizer,
            classes, options, record, dataName, chance, settings.Diagnostics, settings);
    }

    /// <summary>The fraction of --data held out as the test part when no --test-data is given.</summary>
    public const double TestFraction = TrainCommand.TestFraction;

    /// <summary>The dense network of <c>--layers</c>, not initialized yet, with Glorot's initialization.</summary>
    private static (Network, string, WeightInitialization) DenseNetwork(TrainCommand.Settings settings, int features, Loss loss, int outputs, Classes? classes)
    {
        var widths = TrainCommand.Widths(settings, features, outputs, classes);
        var hidden = Choices.Registered(Registry<Activation>.Builtin, settings.Activation ?? "sigmoid", "--activation");
        var output = OutputActivation.Choose(settings.OutputActivation, loss, widths[^1]);
        ParameterBudget.CheckWeights(widths);
        return (Network.Dense(widths, hidden, output), $"{string.Join("→", widths)}, {hidden.Name} hidden, {output.Name} output", WeightInitialization.Glorot);
    }
}
