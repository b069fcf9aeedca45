using System.ComponentModel;
using System.Globalization;
using Engine.Activations;
using Engine.Losses;
using Engine.Networks;
using Engine.Verification;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Engine.Cli.Commands;

/// <summary><c>nn gradcheck</c>: builds a random network and compares every analytic gradient with finite differences.</summary>
public sealed class GradcheckCommand(Terminal terminal) : Command<GradcheckCommand.Settings>
{
    /// <summary>Options of <c>nn gradcheck</c>.</summary>
    public sealed class Settings : GlobalSettings
    {
        /// <summary>Layer widths, input first.</summary>
        [CommandOption("--layers <WIDTHS>")]
        [Description("Layer widths, input first, comma-separated.")]
        [DefaultValue("4,8,3")]
        public string Layers { get; init; } = "4,8,3";

        /// <summary>Hidden activation.</summary>
        [CommandOption("--activation <NAME>")]
        [Description("Activation of the hidden layers: any registered name, e.g. sigmoid, tanh, relu, gelu.")]
        [DefaultValue("sigmoid")]
        public string Activation { get; init; } = "sigmoid";

        /// <summary>Output activation.</summary>
        [CommandOption("--output-activation <NAME>")]
        [Description("Activation of the output layer (default: the first of identity, softmax and sigmoid the loss accepts).")]
        public string? OutputActivation { get; init; }

        /// <summary>The loss.</summary>
        [CommandOption("--loss <NAME>")]
        [Description("Loss: any registered name, e.g. mse, bce, cce, sparse-cce, hinge.")]
        [DefaultValue("mse")]
        public string Loss { get; init; } = "mse";

        /// <summary>The seed.</summary>
        [CommandOption("--seed <N>")]
        [Description("Seed of the weights, inputs and targets.")]
        [DefaultValue(1)]
        public int Seed { get; init; } = 1;

        /// <summary>Batch size.</summary>
        [CommandOption("--batch <N>")]
        [Description("Samples in the batch the gradients are averaged over (1 to 4096).")]
        [DefaultValue(4)]
        public int Batch { get; init; } = 4;

        /// <summary>Tolerance.</summary>
        [CommandOption("--tolerance <X>")]
        [Description("Largest relative error accepted (|a − n| / max(|a|, |n|, 1e-6·max(1, |C|))).")]
        [DefaultValue(GradientCheck.DefaultTolerance)]
        public double Tolerance { get; init; } = GradientCheck.DefaultTolerance;
    }

    /// <summary>The largest network gradcheck builds: every parameter is perturbed four times, so more would take hours.</summary>
    private const int MaxParameters = 100_000;

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        var widths = Choices.Widths(settings.Layers, "--layers");
        long parameters = 0;
        for (int l = 1; l < widths.Length; l++) parameters += (long)widths[l] * (widths[l - 1] + 1);
        if (parameters > MaxParameters)
            throw new BadInputException($"--layers {settings.Layers} has {parameters} parameters; gradcheck perturbs each one, so it takes at most {MaxParameters}.");
        var loss = Choices.Registered(Registry<Loss>.Builtin, settings.Loss, "--loss");
        var hidden = Choices.Registered(Registry<Activation>.Builtin, settings.Activation, "--activation");
        int batch = Choices.InRange(settings.Batch, "--batch", 1, 4096);
        Choices.Positive(settings.Tolerance, "--tolerance");
        var output = OutputActivation.Choose(settings.OutputActivation, loss, widths[^1]);
        var network = Network.Dense(widths, hidden, output);
        network.Initialize(WeightInitialization.Glorot, settings.Seed);
        var random = new Random(settings.Seed);
        var inputs = Enumerable.Range(0, batch * widths[0]).Select(_ => 2 * random.NextDouble() - 1).ToArray();
        var targets = RandomTargets.Draw(loss, network.OutputSize, batch, random);
        var report = GradientCheck.Run(network, loss, inputs, targets, batch, settings.Tolerance);

        var console = terminal.Results;
        console.MarkupLine($"Gradient check of [bold]{string.Join("→", widths)}[/] ({hidden.Name} hidden, {output.Name} output, {loss.Name} loss), batch {batch}, seed {settings.Seed}:");
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
