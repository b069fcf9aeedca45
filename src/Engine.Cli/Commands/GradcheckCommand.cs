using System.ComponentModel;
using System.Globalization;
using Engine.Losses;
using Engine.Networks;
using Engine.Verification;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Engine.Cli.Commands;

/// <summary><c>nn gradcheck</c>: builds a random network and compares every analytic gradient with finite differences.</summary>
public sealed class GradcheckCommand(IAnsiConsole console) : Command<GradcheckCommand.Settings>
{
    /// <summary>Options of <c>nn gradcheck</c>.</summary>
    public sealed class Settings : NetworkSettings
    {
        /// <summary>Batch size.</summary>
        [CommandOption("--batch <N>")]
        [Description("Samples in the batch the gradients are averaged over.")]
        [DefaultValue(4)]
        public int Batch { get; init; } = 4;

        /// <summary>Tolerance.</summary>
        [CommandOption("--tolerance <X>")]
        [Description("Largest relative error accepted (|a − n| / max(|a|, |n|, 1e-6·max(1, |C|))).")]
        [DefaultValue(GradientCheck.DefaultTolerance)]
        public double Tolerance { get; init; } = GradientCheck.DefaultTolerance;
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var widths = settings.ParseLayers() ?? [4, 8, 3];
        var loss = NetworkSettings.Losses.Get(settings.Loss ?? "mse");
        if (settings.Batch <= 0) throw new ArgumentException($"--batch must be positive, but is {settings.Batch}.", "batch");
        var output = settings.ChooseOutput(loss, widths[^1], preferSoftmax: false);
        var network = Network.Dense(widths, NetworkSettings.Activations.Get(settings.Activation), output);
        network.Initialize(WeightInitialization.Glorot, settings.Seed);
        var random = new Random(settings.Seed);
        var inputs = Enumerable.Range(0, settings.Batch * widths[0]).Select(_ => 2 * random.NextDouble() - 1).ToArray();
        var targets = RandomTargets.Draw(loss, network.OutputSize, settings.Batch, random);
        var report = GradientCheck.Run(network, loss, inputs, targets, settings.Batch, settings.Tolerance);

        console.MarkupLine($"Gradient check of [bold]{string.Join("→", widths)}[/] ({settings.Activation} hidden, {output.Name} output, {loss.Name} loss), batch {settings.Batch}, seed {settings.Seed}:");
        var table = new Table().AddColumns("", "values", "max error", "at", "analytic", "numerical");
        foreach (var group in report.Groups)
            table.AddRow(group.Group, group.Checked.ToString(CultureInfo.InvariantCulture), group.MaxError.ToString("0.0E+0", CultureInfo.InvariantCulture),
                Markup.Escape(group.WorstAt), group.Analytic.ToString("G9", CultureInfo.InvariantCulture), group.Numerical.ToString("G9", CultureInfo.InvariantCulture));
        console.Write(table);
        if (report.SkippedAtKinks > 0) console.WriteLine($"{report.SkippedAtKinks} values left out: their finite differences would straddle a kink.");
        console.MarkupLine(report.Passed
            ? $"[green]passed[/]: every error is within {settings.Tolerance.ToString("G", CultureInfo.InvariantCulture)}."
            : $"[red]failed[/]: errors above {settings.Tolerance.ToString("G", CultureInfo.InvariantCulture)}.");
        return report.Passed ? App.Ok : App.Failed;
    }
}
