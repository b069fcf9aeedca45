using System.ComponentModel;
using System.Globalization;
using Engine.Cli.Inputs;
using Engine.Cli.Runs;
using Engine.Data;
using Engine.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Engine.Cli.Commands;

/// <summary><c>nn evaluate</c>: the loss and accuracy of a saved model on data, or on exactly the part a training run held out.</summary>
public sealed class EvaluateCommand(Terminal terminal) : Command<EvaluateCommand.Settings>
{
    /// <summary>Options of <c>nn evaluate</c>.</summary>
    public sealed class Settings : LabelledDataSettings
    {
        /// <summary>The model file.</summary>
        [CommandOption("--model <FILE>")]
        [Description("A model file written by nn train (required).")]
        public string? Model { get; init; }

        /// <summary>Which part of the data.</summary>
        [CommandOption("--part <PART>")]
        [Description("all (default): every row of the data; test: exactly the part the training run held out (its 80/20 split, or its --test-data file); train: the rest.")]
        public string? Part { get; init; }

        /// <summary>Output format.</summary>
        [CommandOption("--format <FORMAT>")]
        [Description("table (for people, default) or json (one object: data, part, samples, loss name, loss, accuracy).")]
        public string? Format { get; init; }
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Model is null) throw new BadInputException("--model is required: the model file to evaluate, e.g. runs/iris/model.safetensors.");
        string format = Choices.OneOf(settings.Format ?? "table", "--format", "table", "json");
        string part = Choices.OneOf(settings.Part ?? "all", "--part", "all", "train", "test");
        var reading = settings.LabelledReading();
        var model = InputFiles.LoadModel(settings.Model);
        var loss = model.Loss ?? throw new BadInputException($"--model '{settings.Model}' does not record the loss it was trained with, so it cannot be evaluated.");
        var record = RunRecord.FromMetadata(model.Metadata);
        if (part != "all" && record is null)
            throw new BadInputException($"--part {part} needs a model whose run recorded its data and split; '{settings.Model}' does not (evaluate --part all with --data).");
        var (dataName, rows) = Rows(settings, part, record, reading, ModelTask.ClassesOf(model));
        if (rows.Rows.FeatureCount != model.Network.InputSize)
            throw new BadInputException($"--data {dataName} has {rows.Rows.FeatureCount} features, but the model takes {model.Network.InputSize}.");
        var data = Targets.Encode(rows, loss, model.Network.OutputSize, $"the model's loss {loss.Name}");
        if (model.Standardizer is { } standardizer) data = standardizer.Transform(data);
        var (value, accuracy) = Evaluation.Evaluate(model.Network, loss, data);
        if (format == "json")
        {
            terminal.Output.WriteLine(Json.Object(("data", dataName), ("part", part), ("samples", data.Count), ("loss_name", loss.Name), ("loss", value), ("accuracy", accuracy)));
            return App.Ok;
        }
        var table = new Table().AddColumns("data", "part", "samples", $"{loss.Name} loss", "accuracy");
        table.AddRow(Markup.Escape(dataName), part, data.Count.ToString(CultureInfo.InvariantCulture), value.ToString("F4", CultureInfo.InvariantCulture),
            accuracy?.ToString("F4", CultureInfo.InvariantCulture) ?? "-");
        terminal.Results.Write(table);
        return App.Ok;
    }

    /// <summary>The rows to score: the data given or recorded, and for <c>--part</c> the recorded split recomputed.</summary>
    private static (string Name, LabelledRows Rows) Rows(Settings settings, string part, RunRecord? record, DataReading reading, Classes? classes)
    {
        LabelledRows Read(string spec, string? labels, DataReading how, string option)
        {
            var table = DataSource.Load(spec, labels, how, option, "--labels");
            return classes is null ? Targets.Regress(table, option) : Targets.Classify(table, classes, option);
        }
        // Without --data, the run's own data, read as the run read it.
        var recorded = record is not null && settings.Data is null ? RecordedReading(record, reading) : reading;
        if (part == "test" && record!.Split == "file")
        {
            if (settings.Data is not null)
                throw new BadInputException($"--part test of this model is its --test-data file {record.TestDataPath}; leave out --data, or evaluate your file with --part all.");
            return (record.TestDataPath!, Read(record.TestDataPath!, record.TestLabelsPath, recorded, "--part test (the run's --test-data)"));
        }
        string? spec = settings.Data ?? record?.DataPath ?? record?.Data;
        if (spec is null) throw new BadInputException($"--data is required: the model '{settings.Model}' does not record the data it was trained on.");
        var rows = Read(spec, settings.Data is null ? record?.LabelsPath : settings.Labels, settings.Data is null ? recorded : reading, "--data");
        if (part == "all" || record!.Split == "file") return (spec, rows);
        if (RunRecord.DigestOf(rows.Table) != record.Digest)
            throw new BadInputException($"--data {spec} is not the data the model was trained on (its SHA-256 differs from the one recorded), so the part the run held out " +
                                        "cannot be recovered; evaluate it with --part all.");
        var (train, test) = record.Split == "stratified"
            ? Split.StratifiedIndices(rows.Rows.Targets, record.TestFraction, record.Seed)
            : Split.RandomIndices(rows.Rows.Count, record.TestFraction, record.Seed);
        return (spec, rows with { Rows = rows.Rows.Select(part == "test" ? test : train), Table = Subset(rows.Table, part == "test" ? test : train) });
    }

    /// <summary>The run's CSV options, where the command line does not give its own.</summary>
    private static DataReading RecordedReading(RunRecord record, DataReading given) => given with
    {
        Csv = given.Csv with
        {
            Header = given.CsvOnlyGiven.Contains("--header") || record.Header is null ? given.Csv.Header
                : record.Header switch { "yes" => CsvHeader.Present, "no" => CsvHeader.Absent, _ => CsvHeader.Auto },
            Delimiter = given.CsvOnlyGiven.Contains("--delimiter") || record.Delimiter is null ? given.Csv.Delimiter
                : record.Delimiter is "tab" or "\\t" ? '\t' : record.Delimiter[0],
            LabelColumn = given.CsvOnlyGiven.Contains("--label-column") ? given.Csv.LabelColumn : record.LabelColumn,
        },
    };

    private static DataTable Subset(DataTable table, int[] rows)
    {
        var features = new double[rows.Length * table.FeatureCount];
        for (int r = 0; r < rows.Length; r++)
            table.Features.AsSpan(rows[r] * table.FeatureCount, table.FeatureCount).CopyTo(features.AsSpan(r * table.FeatureCount));
        return new DataTable(table.Source, features, table.FeatureCount, table.Labels is null ? null : rows.Select(r => table.Labels[r]).ToArray(),
            rows.Select(r => table.Positions[r]).ToArray(), table.PositionUnit, table.FeatureNames, table.LabelName, table.ClassNames);
    }
}
