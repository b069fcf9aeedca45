using System.ComponentModel;
using System.Globalization;
using System.Text.Json.Nodes;
using Engine.Cli.Inputs;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Engine.Cli.Commands;

/// <summary><c>nn predict</c>: a model's outputs for feature rows, as CSV (or JSON lines) on standard output.</summary>
public sealed class PredictCommand(Terminal terminal) : Command<PredictCommand.Settings>
{
    /// <summary>Options of <c>nn predict</c>.</summary>
    public sealed class Settings : CsvFormatSettings
    {
        /// <summary>The model file.</summary>
        [CommandOption("--model <FILE>")]
        [Description("A model file written by nn train (required).")]
        public string? Model { get; init; }

        /// <summary>The input rows.</summary>
        [CommandOption("--input <FILE>")]
        [Description("CSV of feature rows, no label column (default: standard input).")]
        public string? Input { get; init; }

        /// <summary>Output format.</summary>
        [CommandOption("--format <FORMAT>")]
        [Description("csv (default): a header, then per row the class (for a classifier) and every output; json: one object per line.")]
        public string? Format { get; init; }
    }

    /// <summary>Rows per forward pass.</summary>
    private const int Batch = 256;

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Model is null) throw new BadInputException("--model is required: the model file to predict with, e.g. runs/iris/model.safetensors.");
        string format = Choices.OneOf(settings.Format ?? "csv", "--format", "csv", "json");
        var reading = settings.FeatureReading();
        var model = InputFiles.LoadModel(settings.Model);
        var network = model.Network;
        if (settings.Input is null && !Console.IsInputRedirected)
            terminal.Messages.WriteLine("Reading feature rows from standard input; end them with Ctrl+D.");
        var table = DataSource.LoadFeatures(settings.Input, Console.In, reading, "--input");
        if (table.FeatureCount != network.InputSize)
            throw new BadInputException($"--input {settings.Input ?? "standard input"}: rows have {table.FeatureCount} features, but the model takes {network.InputSize}.");
        var features = model.Standardizer is { } standardizer ? standardizer.Transform(table.Features) : table.Features;
        var classes = ModelTask.ClassesOf(model);
        int width = network.OutputSize;
        var output = terminal.Output;
        if (format == "csv") output.WriteLine((classes is null ? "" : "class,") + string.Join(',', Enumerable.Range(0, width).Select(j => $"output{j}")));
        for (int start = 0; start < table.Count; start += Batch)
        {
            int rows = Math.Min(Batch, table.Count - start);
            var outputs = network.Forward(features.AsSpan(start * table.FeatureCount, rows * table.FeatureCount), rows);
            for (int i = 0; i < rows; i++)
            {
                var row = outputs.Slice(i * width, width);
                string? name = classes is null || model.Loss is null ? null : classes.Names[model.Loss.PredictClass(row)];
                var values = row.ToArray();
                output.WriteLine(format == "json"
                    ? Json.Object(("class", name), ("outputs", new JsonArray(values.Select(v => (JsonNode?)Json.Node(v)).ToArray())))
                    : (name is null ? "" : Csv.Field(name) + ",") + string.Join(',', values.Select(v => v.ToString("R", CultureInfo.InvariantCulture))));
            }
        }
        return App.Ok;
    }
}
