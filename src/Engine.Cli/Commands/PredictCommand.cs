using System.ComponentModel;
using System.Globalization;
using Engine.Data;
using Spectre.Console.Cli;

namespace Engine.Cli.Commands;

/// <summary><c>nn predict</c>: a model's outputs for feature rows, as CSV on standard output.</summary>
public sealed class PredictCommand(Terminal terminal) : Command<PredictCommand.Settings>
{
    /// <summary>Options of <c>nn predict</c>.</summary>
    public sealed class Settings : GlobalSettings
    {
        /// <summary>The model file.</summary>
        [CommandOption("--model <FILE>")]
        [Description("A model file written by nn train (required).")]
        public string? Model { get; init; }

        /// <summary>The input rows.</summary>
        [CommandOption("--input <FILE>")]
        [Description("CSV of feature rows (no label column); default: standard input.")]
        public string? Input { get; init; }
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Model is null) throw new BadInputException("--model is required: the model file to predict with, e.g. runs/iris/model.safetensors.");
        var model = InputFiles.LoadModel(settings.Model);
        var network = model.Network;
        string source = settings.Input ?? "standard input";
        var lines = new List<string>();
        using (var reader = settings.Input is null ? Console.In : InputFiles.Read(settings.Input, "--input", path => new StreamReader(path)))
            // Rows carry features only: read them with a dummy label column appended, so the CSV reader's checks apply.
            while (reader.ReadLine() is { } line) if (!string.IsNullOrWhiteSpace(line)) lines.Add(line + ",0");
        Dataset rows;
        try { rows = CsvReader.Read(new StringReader(string.Join('\n', lines)), hasHeader: false, source: source); }
        catch (DataFormatException e) { throw new BadInputException($"--input: {e.Message}", e); }
        if (rows.FeatureCount != network.InputSize)
            throw new BadInputException($"--input {source}: rows have {rows.FeatureCount} features, but the model takes {network.InputSize}.");
        if (model.Standardizer is { } standardizer) rows = standardizer.Transform(rows);
        var outputs = network.Forward(rows.Features, rows.Count).ToArray();
        // A model whose loss scores classes predicts one: the largest output, or the one output against its midpoint.
        var loss = model.Loss;
        bool classifier = loss is { HasAccuracy: true };
        int width = network.OutputSize;
        var output = terminal.Output;
        output.WriteLine((classifier ? "class," : "") + string.Join(',', Enumerable.Range(0, width).Select(j => $"output{j}")));
        for (int i = 0; i < rows.Count; i++)
        {
            var row = outputs.AsSpan(i * width, width);
            var text = string.Join(',', row.ToArray().Select(v => v.ToString("R", CultureInfo.InvariantCulture)));
            output.WriteLine(classifier ? $"{loss!.PredictClass(row)},{text}" : text);
        }
        return App.Ok;
    }
}
