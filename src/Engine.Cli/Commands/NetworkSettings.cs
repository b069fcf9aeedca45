using System.ComponentModel;
using System.Globalization;
using Engine.Activations;
using Engine.Losses;
using Spectre.Console.Cli;

namespace Engine.Cli.Commands;

/// <summary>The options that describe a network and its loss, shared by <c>train</c> and <c>gradcheck</c>.</summary>
public class NetworkSettings : CommandSettings
{
    /// <summary>Layer widths, input first.</summary>
    [CommandOption("--layers <WIDTHS>")]
    [Description("Layer widths, input first, comma-separated (e.g. 64,16,16,10). For train the first and last default to the data's features and classes.")]
    public string? Layers { get; init; }

    /// <summary>Hidden activation.</summary>
    [CommandOption("--activation <NAME>")]
    [Description("Activation of the hidden layers: any registered name, e.g. sigmoid, tanh, relu, gelu (an unknown name lists them all).")]
    [DefaultValue("sigmoid")]
    public string Activation { get; init; } = "sigmoid";

    /// <summary>Output activation.</summary>
    [CommandOption("--output-activation <NAME>")]
    [Description("Activation of the output layer (default: softmax for classification, identity for regression or gradcheck with a loss on raw outputs).")]
    public string? OutputActivation { get; init; }

    /// <summary>The loss.</summary>
    [CommandOption("--loss <NAME>")]
    [Description("Loss: any registered name, e.g. mse, bce, cce, sparse-cce, hinge (default: sparse-cce for classification, mse otherwise; an unknown name lists them all).")]
    public string? Loss { get; init; }

    /// <summary>The seed.</summary>
    [CommandOption("--seed <N>")]
    [Description("Seed of the split, the initial weights and the shuffling: the same seed gives the same run.")]
    [DefaultValue(1)]
    public int Seed { get; init; } = 1;

    /// <summary>The activation registry.</summary>
    internal static Registry<Activation> Activations => Registry<Activation>.Builtin;

    /// <summary>The loss registry.</summary>
    internal static Registry<Loss> Losses => Registry<Loss>.Builtin;

    /// <summary>
    /// The output activation: <see cref="OutputActivation"/> if given, else the first the loss accepts of softmax (when preferred and
    /// there are several outputs), identity and sigmoid.
    /// </summary>
    /// <param name="loss">The loss.</param>
    /// <param name="outputs">The output width.</param>
    /// <param name="preferSoftmax">Classification: try softmax first.</param>
    internal Activation ChooseOutput(Loss loss, int outputs, bool preferSoftmax)
    {
        if (OutputActivation is not null) return Activations.Get(OutputActivation);
        var candidates = (preferSoftmax ? new[] { "softmax", "identity", "sigmoid" } : ["identity", "softmax", "sigmoid"])
            .Where(name => name != "softmax" || outputs > 1);
        return candidates.Select(Activations.Get).First(a => loss.Incompatibility(a) is null);
    }

    /// <summary>Parses <see cref="Layers"/>.</summary>
    internal int[]? ParseLayers()
    {
        if (Layers is null) return null;
        var widths = Layers.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(w => int.TryParse(w, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v > 0 ? v
                : throw new ArgumentException($"--layers must list positive integers, but has '{w}'.", "layers"))
            .ToArray();
        if (widths.Length < 2) throw new ArgumentException($"--layers needs at least an input and an output width, but has {widths.Length}.", "layers");
        return widths;
    }
}
