using System.Globalization;
using Engine.Activations;
using Engine.Data;
using Engine.Diagnostics;
using Engine.Losses;
using Engine.Networks;
using Engine.Training;
using ScottPlot;
using Spectre.Console;

namespace Engine.Cli.Walkthroughs;

/// <summary>
/// <c>nn walkthrough --example vanishing</c>: seed 000's claim that in a deep network "till we reach the 1st layer the changes in
/// wts will be negligible", measured as ‖∂C/∂bˡ‖ per layer of three 64 → 30 → 30 → 30 → 30 → 10 networks on the embedded digits,
/// at initialization and after training: sigmoid hidden layers with weights N(0, 1) and with Glorot's weights, and ReLU with He's.
/// </summary>
/// <param name="terminal">Results to standard output, the file written to standard error.</param>
public sealed class VanishingGradients(Terminal terminal)
{
    private readonly IAnsiConsole console = terminal.Results;

    /// <summary>The widths, input first: the notes' deep network on 8×8 digits.</summary>
    public static readonly int[] Widths = [64, 30, 30, 30, 30, 10];

    /// <summary>SGD's learning rate.</summary>
    public const double LearningRate = 0.1;

    /// <summary>Epochs of training between the two measurements.</summary>
    public const int Epochs = 30;

    /// <summary>Mini-batch size.</summary>
    public const int BatchSize = 32;

    /// <summary>The seed of the split, the weights and the shuffle.</summary>
    public const int Seed = 1;

    private sealed record Setup(string Name, Activation Hidden, WeightInitialization Weights, ScottPlot.Color Color);

    private static readonly Setup[] Setups =
    [
        new("sigmoid, weights N(0, 1)", new Sigmoid(), WeightInitialization.Normal, Colors.C0),
        new("sigmoid, Glorot weights", new Sigmoid(), WeightInitialization.Glorot, Colors.C1),
        new("ReLU, He weights", new Relu(), WeightInitialization.He, Colors.C2),
    ];

    private sealed record Outcome(Setup Setup, LayerStatistics[] Initial, LayerStatistics[] Trained, double TestAccuracy);

    /// <summary>Trains the three networks, prints the table and, when <paramref name="plotPath"/> is given, draws it.</summary>
    /// <param name="plotPath">A PNG file for the plot, or null.</param>
    public void Run(string? plotPath)
    {
        var all = Inputs.DataSource.LoadEmbedded("digits").Classified();
        var (rawTrain, rawTest) = Split.Stratified(all, 0.2, Seed);
        var standardizer = Standardizer.Fit(rawTrain);
        var (train, test) = (standardizer.Transform(rawTrain), standardizer.Transform(rawTest));
        var loss = new SparseCategoricalCrossEntropy();

        console.MarkupLine("[bold]Seed 000: gradients vanish toward the input[/] (docs/walkthroughs.md §6)");
        console.WriteLine("\"if we have a deep model till we reach the 1st layer the changes in wts will be");
        console.WriteLine("negligible\" (seed 000). By BP2, δˡ = ((Wˡ⁺¹)ᵀδˡ⁺¹) ⊙ σ'(zˡ): the error picks up");
        console.WriteLine("one factor σ'(z) per layer on its way to the input, at most ¼ for sigmoid, 1 for");
        console.WriteLine("an active ReLU. By BP3, ∂C/∂bˡ = δˡ averaged over the samples: ‖∂C/∂bˡ‖ is how");
        console.WriteLine("fast layer l's biases learn.");
        console.WriteLine($"Networks {string.Join(" → ", Widths)}, softmax output, cross-entropy cost");
        console.WriteLine($"(δᴸ = a − y), biases 0, seed {Seed}, on the digits: {train.Count} training samples (inputs");
        console.WriteLine($"standardized), {test.Count} test samples. ‖∂C/∂bˡ‖ over all the training samples, at");
        console.WriteLine($"initialization and after SGD with η = {F(LearningRate)}, batch {BatchSize}, {Epochs} epochs.");
        var outcomes = Setups.Select(setup => Train(setup, train, test, loss)).ToArray();
        foreach (var outcome in outcomes) Print(outcome);
        console.WriteLine();
        console.WriteLine($"At initialization, layer 1's ‖∂C/∂b‖ against layer {Widths.Length - 1}'s (the output):");
        foreach (var outcome in outcomes)
            console.WriteLine($"  {outcome.Setup.Name + ":",-26} 1/{(1 / Ratio(outcome.Initial)).ToString("G3", CultureInfo.InvariantCulture)}");
        if (plotPath is not null)
        {
            Plot(outcomes, plotPath);
            terminal.Messages.WriteLine($"Wrote {plotPath}.");
        }
    }

    private static Outcome Train(Setup setup, Dataset train, Dataset test, Loss loss)
    {
        var network = Network.Dense(Widths, setup.Hidden, new Softmax());
        network.Initialize(setup.Weights, Seed);
        var initial = Measure(network, train, loss);
        Trainer.Train(network, loss, train, new TrainingOptions { LearningRate = LearningRate, BatchSize = BatchSize, Epochs = Epochs, Seed = Seed });
        var trained = Measure(network, train, loss);
        return new Outcome(setup, initial, trained, Evaluation.Evaluate(network, loss, test).Accuracy ?? double.NaN);
    }

    /// <summary>The statistics of one backward pass over the whole training set.</summary>
    private static LayerStatistics[] Measure(Network network, Dataset data, Loss loss)
    {
        network.ComputeGradients(data.Features, data.Targets, data.Count, loss);
        var diagnostics = new GradientDiagnostics(network);
        diagnostics.Observe();
        return diagnostics.Latest.ToArray();
    }

    /// <summary>‖∂C/∂b¹‖ / ‖∂C/∂bᴸ‖.</summary>
    public static double Ratio(IReadOnlyList<LayerStatistics> layers) => layers[0].BiasGradientNorm / layers[^1].BiasGradientNorm;

    private void Print(Outcome outcome)
    {
        const int label = 18, cell = 9;
        console.WriteLine();
        console.MarkupLine($"[bold]{Markup.Escape(outcome.Setup.Name)}[/]");
        console.WriteLine($"  {"",-label}{Row(outcome.Initial, s => $"layer {s.Layer + 1}")}{"first/last",11}");
        console.WriteLine($"  {"‖∂C/∂bˡ‖ at init",-label}{Row(outcome.Initial, s => E(s.BiasGradientNorm))}{E(Ratio(outcome.Initial)),11}");
        console.WriteLine($"  {$"after {Epochs} epochs",-label}{Row(outcome.Trained, s => E(s.BiasGradientNorm))}{E(Ratio(outcome.Trained)),11}");
        console.WriteLine($"  {"saturated at init",-label}{Row(outcome.Initial, s => double.IsNaN(s.SaturatedFraction) ? "-" : s.SaturatedFraction.ToString("P0", CultureInfo.InvariantCulture))}");
        console.WriteLine($"  test accuracy after {Epochs} epochs: {outcome.TestAccuracy.ToString("F4", CultureInfo.InvariantCulture)}");

        static string Row(IEnumerable<LayerStatistics> layers, Func<LayerStatistics, string> text) => string.Concat(layers.Select(s => text(s).PadLeft(cell)));
    }

    private static string E(double value) => value.ToString("0.00e+00", CultureInfo.InvariantCulture);

    private static string F(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Plot(IEnumerable<Outcome> outcomes, string path)
    {
        var plot = new Plot();
        foreach (var outcome in outcomes)
        {
            var layers = outcome.Initial.Select(s => (double)(s.Layer + 1)).ToArray();
            var initial = LogPlots.AddLine(plot, layers, outcome.Initial.Select(s => s.BiasGradientNorm).ToArray(), $"{outcome.Setup.Name}, at initialization");
            initial.Color = outcome.Setup.Color;
            var trained = LogPlots.AddLine(plot, layers, outcome.Trained.Select(s => s.BiasGradientNorm).ToArray(), $"{outcome.Setup.Name}, after {Epochs} epochs");
            trained.Color = outcome.Setup.Color;
            trained.LinePattern = LinePattern.Dashed;
        }
        LogPlots.UseLogY(plot, "‖∂C/∂bˡ‖ over the training set");
        plot.XLabel("layer l (1 = next to the input)");
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericFixedInterval(1);
        plot.Title($"Gradients by layer, {string.Join("-", Widths)} on digits");
        plot.ShowLegend(Edge.Right);
        plot.SavePng(path, 1100, 520);
    }
}
