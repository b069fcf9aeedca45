using System.ComponentModel;
using System.Globalization;
using Engine.Serialization;
using Engine.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Engine.Cli.Commands;

/// <summary><c>nn evaluate</c>.</summary>
public sealed class EvaluateCommand(IAnsiConsole console) : Command<EvaluateCommand.Settings>
{
    /// <summary>Options of <c>nn evaluate</c>.</summary>
    public sealed class Settings : CommandSettings
    {
        /// <summary>The model file.</summary>
        [CommandOption("--model <FILE>")]
        [Description("A model file written by nn train.")]
        public string Model { get; init; } = "";

        /// <summary>The data.</summary>
        [CommandOption("--data <DATA>")]
        [Description("digits | iris | breast-cancer, a CSV file or an IDX images file; every row is evaluated.")]
        [DefaultValue("digits")]
        public string Data { get; init; } = "digits";

        /// <summary>IDX labels file.</summary>
        [CommandOption("--labels <FILE>")]
        [Description("The IDX labels file for IDX images.")]
        public string? Labels { get; init; }

        /// <inheritdoc/>
        public override ValidationResult Validate() =>
            Model.Length == 0 ? ValidationResult.Error("--model is required.") : ValidationResult.Success();
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var model = ModelFile.Load(settings.Model);
        var loss = model.Loss ?? throw new ArgumentException($"{settings.Model} does not record its loss.", "model");
        var data = DataSources.Load(settings.Data, settings.Labels);
        if (data.FeatureCount != model.Network.InputSize)
            throw new ArgumentException($"--data must have {model.Network.InputSize} features for this model, but {settings.Data} has {data.FeatureCount}.", "data");
        if (model.Standardizer is { } standardizer) data = standardizer.Transform(data);
        var (value, accuracy) = Evaluation.Evaluate(model.Network, loss, TargetEncoding.Encode(data, loss, model.Network.OutputSize));
        var table = new Table().AddColumns("samples", $"{loss.Name} loss", "accuracy");
        table.AddRow(data.Count.ToString(CultureInfo.InvariantCulture), value.ToString("F4", CultureInfo.InvariantCulture),
            accuracy?.ToString("F4", CultureInfo.InvariantCulture) ?? "-");
        console.Write(table);
        return App.Ok;
    }
}
