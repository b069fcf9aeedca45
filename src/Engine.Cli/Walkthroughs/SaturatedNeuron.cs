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
/// <c>nn walkthrough --example saturation</c>: seed 001's BP1 reading, "weight in the final layer will learn slowly if the output
/// neuron is saturated", and seed 000's Step 1, where the cross-entropy cost cancels σ'(zᴸ) and leaves δᴸ = a − y. One sigmoid
/// neuron, input 1, target 0, gradient descent at η = 0.15, started saturated (w = b = 2) and unsaturated (w = 0.6, b = 0.9),
/// under the quadratic and the cross-entropy cost.
/// </summary>
/// <param name="terminal">Results to standard output, the file written to standard error.</param>
public sealed class SaturatedNeuron(Terminal terminal)
{
    private readonly IAnsiConsole console = terminal.Results;

    /// <summary>The learning rate η.</summary>
    public const double LearningRate = 0.15;

    /// <summary>Steps of gradient descent (one sample: one step per epoch).</summary>
    public const int Epochs = 300;

    /// <summary>The epochs whose costs are printed.</summary>
    public static readonly int[] Printed = [0, 10, 25, 50, 100, 150, 200, 250, 300];

    /// <summary>The epoch at which the fall of each cost is compared.</summary>
    public const int Compared = 50;

    private const int Cell = 15;

    /// <summary>The two starting points: (w, b).</summary>
    public static readonly (string Name, double W, double B)[] Starts = [("saturated", 2.0, 2.0), ("unsaturated", 0.6, 0.9)];

    private static readonly (string Name, Func<Loss> Create)[] Costs =
    [
        ("quadratic", () => new MeanSquaredError(SquaredErrorScale.HalfSum)),
        ("cross-entropy", () => new BinaryCrossEntropy()),
    ];

    /// <summary>Trains the neuron from both starts under both costs, prints the costs by epoch and, when <paramref name="plotPath"/> is given, plots them.</summary>
    /// <param name="plotPath">A PNG file for the plot, or null.</param>
    public void Run(string? plotPath)
    {
        console.MarkupLine("[bold]Seed 001: a saturated neuron learns slowly[/] (docs/walkthroughs.md §7)");
        console.WriteLine("BP1: δᴸ = ∂C/∂aᴸ · σ'(zᴸ). \"weight in the final layer will learn");
        console.WriteLine("slowly if the output neuron ... is saturated. The error δⱼᴸ will be");
        console.WriteLine("small when the neuron is saturated\" (seed 001): σ'(z) = a(1 − a) is");
        console.WriteLine("near 0 when a is near 0 or 1.");
        console.WriteLine("Seed 000, Step 1: the cross-entropy C = −[y ln a + (1 − y) ln(1 − a)]");
        console.WriteLine("has ∂C/∂a = (a − y)/(a(1 − a)), which cancels σ'(z): δᴸ = a − y, large");
        console.WriteLine("exactly when the output is wrong. The quadratic cost C = ½(a − y)²");
        console.WriteLine("keeps the factor: δᴸ = (a − y)·σ'(z).");
        console.WriteLine("One sigmoid neuron, input x = 1, target y = 0, gradient descent at");
        console.WriteLine($"η = {F(LearningRate)}; ∂C/∂w = x·δ and ∂C/∂b = δ (BP4, BP3).");

        var curves = new List<(string Start, string Cost, double[] Values)>();
        foreach (var (start, w, b) in Starts)
        {
            console.WriteLine();
            var (neuron, network) = Neuron(w, b);
            network.Forward([1.0], 1);
            double z = neuron.PreActivations[0], a = neuron.Outputs[0];
            console.MarkupLine($"[bold]Started {start}[/]: w = {F(w)}, b = {F(b)}, z = {F(z)}, a = {F6(a)}");
            foreach (var (cost, create) in Costs)
            {
                var loss = create();
                var (first, firstNetwork) = Neuron(w, b);
                firstNetwork.ComputeGradients([1.0], [0.0], 1, loss);
                var diagnostics = new GradientDiagnostics(firstNetwork);
                diagnostics.Observe();
                bool saturated = diagnostics.Latest[0].SaturatedFraction > 0;
                if (cost == "quadratic")
                    console.WriteLine($"  σ'(z) = a(1 − a) = {F6(a * (1 - a))} {(saturated ? "<" : "≥")} {F(Saturation.SlopeFraction)}·¼: " +
                                      (saturated ? "saturated" : "not saturated"));
                string rule = cost == "quadratic" ? "δ = (a − y)·σ'(z)" : "δ = a − y";
                console.WriteLine($"  {cost,-14} {rule,-18} = {F6(first.Deltas[0])}, ∂C/∂w = {F6(first.WeightGradient[0])}");
                curves.Add((start, cost, CostsByEpoch(w, b, loss)));
            }
        }

        console.WriteLine();
        console.WriteLine("The cost C after each number of epochs:");
        console.WriteLine($"  {"",5}{string.Concat(Starts.Select(start => $"started {start.Name}".PadLeft(2 * Cell)))}");
        console.WriteLine($"  {"epoch",5}{string.Concat(curves.Select(c => c.Cost.PadLeft(Cell)))}");
        foreach (int epoch in Printed)
            console.WriteLine($"  {epoch,5}{string.Concat(curves.Select(c => F6(c.Values[epoch]).PadLeft(Cell)))}");
        console.WriteLine();
        foreach (var (start, _, _) in Starts)
        {
            var quadratic = curves.First(c => c.Start == start && c.Cost == "quadratic").Values;
            var entropy = curves.First(c => c.Start == start && c.Cost == "cross-entropy").Values;
            console.WriteLine($"Started {start}, {Compared} epochs: quadratic −{Fall(quadratic)}, cross-entropy −{Fall(entropy)}.");
        }
        if (plotPath is not null)
        {
            Plot(curves, plotPath);
            terminal.Messages.WriteLine($"Wrote {plotPath}.");
        }
    }

    /// <summary>C after 0, 1, …, <see cref="Epochs"/> steps of gradient descent from (w, b).</summary>
    private static double[] CostsByEpoch(double w, double b, Loss loss)
    {
        var (_, network) = Neuron(w, b);
        var sample = new Dataset([1.0], 1, [0.0], 1);
        var costs = new double[Epochs + 1];
        // Each epoch's reported loss is measured before its step: the cost after epoch − 1 steps.
        Trainer.Train(network, loss, sample, new TrainingOptions { LearningRate = LearningRate, BatchSize = 1, Epochs = Epochs }, report => costs[report.Epoch - 1] = report.Loss);
        costs[Epochs] = network.Cost([1.0], [0.0], 1, loss);
        return costs;
    }

    private static (Dense Neuron, Network Network) Neuron(double w, double b)
    {
        var neuron = new Dense(1, 1, new Sigmoid());
        neuron.SetParameters([[w]], [b]);
        return (neuron, new Network(neuron));
    }

    private static string Fall(double[] costs) => (1 - costs[Compared] / costs[0]).ToString("P1", CultureInfo.InvariantCulture);

    private static string F(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static string F6(double value) => value.ToString("F6", CultureInfo.InvariantCulture);

    private static void Plot(List<(string Start, string Cost, double[] Values)> curves, string path)
    {
        var multiplot = new Multiplot();
        multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
        var epochs = Enumerable.Range(0, Epochs + 1).Select(e => (double)e).ToArray();
        for (int s = 0; s < Starts.Length; s++)
        {
            var plot = s == 0 ? multiplot.GetPlot(0) : multiplot.AddPlot();
            var (start, w, b) = Starts[s];
            foreach (var curve in curves.Where(c => c.Start == start))
                LogPlots.AddLine(plot, epochs, curve.Values, curve.Cost == "quadratic" ? "quadratic ½(a − y)²" : "cross-entropy");
            LogPlots.UseLogY(plot, "cost C");
            plot.XLabel("epoch");
            plot.Title($"Started {start}: w = {F(w)}, b = {F(b)}");
            plot.ShowLegend(Alignment.UpperRight);
        }
        multiplot.SavePng(path, 1200, 500);
    }
}
