using System.ComponentModel;
using System.Globalization;
using Engine.Data;
using Engine.Serialization;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Engine.Cli.Commands;

/// <summary><c>nn predict</c>.</summary>
public sealed class PredictCommand(IAnsiConsole console) : Command<PredictCommand.Settings>
{
    /// <summary>Options of <c>nn predict</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>The model file.</summary>
        [CommandOption("--model <FILE>")]
        [Description("A model file written by nn train.")]
        public string Model { get; init; } = "";

        /// <summary>The input rows.</summary>
        [CommandOption("--input <FILE>")]
        [Description("CSV of feature rows (no label column); default: standard input.")]
        public string? Input { get; init; }

        /// <inheritdoc/>
        public override ValidationResult Validate() =>
            Model.Length == 0 ? ValidationResult.Error("--model is required.") : ValidationResult.Success();
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var model = ModelFile.Load(settings.Model);
        var network = model.Network;
        using var reader = settings.Input is null ? Console.In : new StreamReader(settings.Input);
        // Rows carry features only: read them with a dummy label column appended, so the CSV reader's checks apply.
        var lines = new List<string>();
        while (reader.ReadLine() is { } line) if (!string.IsNullOrWhiteSpace(line)) lines.Add(line + ",0");
        var rows = CsvReader.Read(new StringReader(string.Join('\n', lines)), hasHeader: false, source: settings.Input ?? "standard input");
        if (rows.FeatureCount != network.InputSize)
            throw new ArgumentException($"Input rows must have {network.InputSize} features for this model, but have {rows.FeatureCount}.", "input");
        if (model.Standardizer is { } standardizer) rows = standardizer.Transform(rows);
        var outputs = network.Forward(rows.Features, rows.Count).ToArray();
        // A model whose loss scores classes predicts one: the largest output, or the one output against its midpoint.
        var loss = model.Loss;
        bool classifier = loss is { HasAccuracy: true };
        int width = network.OutputSize;
        console.WriteLine((classifier ? "class," : "") + string.Join(',', Enumerable.Range(0, width).Select(j => $"output{j}")));
        for (int i = 0; i < rows.Count; i++)
        {
            var row = outputs.AsSpan(i * width, width);
            var text = string.Join(',', row.ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
            console.WriteLine(classifier ? $"{loss!.PredictClass(row)},{text}" : text);
        }
        return App.Ok;
    }
}
