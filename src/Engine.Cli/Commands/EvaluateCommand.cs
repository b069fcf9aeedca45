using System.ComponentModel;
using System.Globalization;
using Engine.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Engine.Cli.Commands;

/// <summary><c>nn evaluate</c>: the loss and accuracy of a saved model on data, as a table or JSON on standard output.</summary>
public sealed class EvaluateCommand(Terminal terminal) : Command<EvaluateCommand.Settings>
{
    /// <summary>Options of <c>nn evaluate</c>.</summary>
    public sealed class Settings : GlobalSettings
    {
        /// <summary>The model file.</summary>
        [CommandOption("--model <FILE>")]
        [Description("A model file written by nn train (required).")]
        public string? Model { get; init; }

        /// <summary>The data.</summary>
        [CommandOption("--data <DATA>")]
        [Description("digits | iris | breast-cancer, a CSV file or an IDX images file; every row is evaluated.")]
        [DefaultValue("digits")]
        public string Data { get; init; } = "digits";

        /// <summary>IDX labels file.</summary>
        [CommandOption("--labels <FILE>")]
        [Description("The IDX labels file for IDX images.")]
        public string? Labels { get; init; }

        /// <summary>Output format.</summary>
        [CommandOption("--format <FORMAT>")]
        [Description("table (for people) or json (one object: samples, loss name, loss, accuracy).")]
        [DefaultValue("table")]
        public string Format { get; init; } = "table";
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Model is null) throw new BadInputException("--model is required: the model file to evaluate, e.g. runs/iris/model.safetensors.");
        string format = Choices.OneOf(settings.Format, "--format", "table", "json");
        var model = InputFiles.LoadModel(settings.Model);
        var loss = model.Loss ?? throw new BadInputException($"--model '{settings.Model}' does not record the loss it was trained with, so it cannot be evaluated.");
        var data = DataSources.LoadChecked(settings.Data, settings.Labels);
        if (data.FeatureCount != model.Network.InputSize)
            throw new BadInputException($"--data {settings.Data} has {data.FeatureCount} features, but the model takes {model.Network.InputSize}.");
        if (model.Standardizer is { } standardizer) data = standardizer.Transform(data);
        var (value, accuracy) = Evaluation.Evaluate(model.Network, loss, TargetEncoding.Encode(data, loss, model.Network.OutputSize));
        if (format == "json")
        {
            terminal.Output.WriteLine(Json.Object(("samples", data.Count), ("loss_name", loss.Name), ("loss", value), ("accuracy", accuracy)));
            return App.Ok;
        }
        var table = new Table().AddColumns("samples", $"{loss.Name} loss", "accuracy");
        table.AddRow(data.Count.ToString(CultureInfo.InvariantCulture), value.ToString("F4", CultureInfo.InvariantCulture),
            accuracy?.ToString("F4", CultureInfo.InvariantCulture) ?? "-");
        terminal.Results.Write(table);
        return App.Ok;
    }
}
