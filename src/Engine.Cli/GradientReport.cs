using System.Globalization;
using Engine.Diagnostics;
using ScottPlot;

namespace Engine.Cli;

/// <summary>
/// <c>nn train --diagnostics</c>: each epoch's per-layer statistics (<see cref="GradientDiagnostics.Mean"/>, averaged over the
/// epoch's steps) as <c>gradients.csv</c>, <c>gradients.png</c> and <c>saturation.png</c>, and one line for people when the first
/// layer learns orders of magnitude slower than the last.
/// </summary>
public sealed class GradientReport
{
    /// <summary>How many times slower the first layer must learn than the last for <see cref="SlowFirstLayer"/> to speak: two orders of magnitude.</summary>
    public const double SlowFactor = 100;

    private readonly List<(int Epoch, LayerStatistics[] Layers)> epochs = [];

    /// <summary>Records an epoch's statistics (copied).</summary>
    /// <param name="epoch">1-based epoch.</param>
    /// <param name="layers">One entry per layer with parameters, input side first.</param>
    public void Add(int epoch, IReadOnlyList<LayerStatistics> layers) => epochs.Add((epoch, layers.ToArray()));

    /// <summary>
    /// Writes <c>epoch,layer,delta_norm,weight_gradient_norm,bias_gradient_norm,update_ratio,saturated_fraction</c>, one row per
    /// epoch and layer (the layer numbered from 1 at the input, counting every layer of the network); a statistic the layer does
    /// not have is left empty.
    /// </summary>
    /// <param name="path">The CSV file.</param>
    public void WriteCsv(string path) => File.WriteAllText(path, Csv());

    private const string Header = "epoch,layer,delta_norm,weight_gradient_norm,bias_gradient_norm,update_ratio,saturated_fraction";

    /// <summary>The CSV text <see cref="WriteCsv"/> writes, every number round-trip.</summary>
    public string Csv()
    {
        static string F(double value) => double.IsNaN(value) ? "" : value.ToString("R", CultureInfo.InvariantCulture);
        return string.Concat(epochs.SelectMany(e => e.Layers.Select(s =>
                $"{e.Epoch},{s.Layer + 1},{F(s.DeltaNorm)},{F(s.WeightGradientNorm)},{F(s.BiasGradientNorm)},{F(s.UpdateRatio)},{F(s.SaturatedFraction)}\n"))
            .Prepend(Header + "\n"));
    }

    /// <summary>The report <see cref="Csv"/> wrote (from a checkpoint, so a resumed run keeps the epochs before it), exactly.</summary>
    /// <param name="text">The CSV text.</param>
    /// <exception cref="FormatException">The text is not such CSV.</exception>
    public static GradientReport Parse(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0 || lines[0] != Header) throw new FormatException($"the gradient statistics must start with the header {Header}.");
        static double F(string cell) => cell.Length == 0 ? double.NaN : double.Parse(cell, NumberStyles.Float, CultureInfo.InvariantCulture);
        var report = new GradientReport();
        foreach (var epoch in lines.Skip(1).Select(line => line.Split(',')).GroupBy(cells => int.Parse(cells[0], CultureInfo.InvariantCulture)))
            report.Add(epoch.Key, epoch.Select(c => c.Length == 7
                ? new LayerStatistics(int.Parse(c[1], CultureInfo.InvariantCulture) - 1, F(c[2]), F(c[3]), F(c[4]), F(c[5]), F(c[6]))
                : throw new FormatException($"a gradient statistics row must have 7 fields, but has {c.Length}.")).ToArray());
        return report;
    }

    /// <summary>Two panels, one line per layer on a log scale: ‖∂C/∂Wˡ‖ and ‖Δwˡ‖/‖wˡ‖ by epoch.</summary>
    /// <param name="path">The PNG file.</param>
    public void PlotGradients(string path)
    {
        var multiplot = new Multiplot { Layout = new ScottPlot.MultiplotLayouts.Columns() };
        Panel(multiplot.GetPlot(0), "weight gradient ‖∂C/∂Wˡ‖_F", s => s.WeightGradientNorm);
        Panel(multiplot.AddPlot(), "update-to-weight ratio ‖Δwˡ‖/‖wˡ‖", s => s.UpdateRatio);
        multiplot.SavePng(path, 1400, 500);

        void Panel(Plot plot, string title, Func<LayerStatistics, double> value)
        {
            var x = epochs.Select(e => (double)e.Epoch).ToArray();
            for (int k = 0; k < Layers; k++)
                LogPlots.AddLine(plot, x, epochs.Select(e => value(e.Layers[k])).ToArray(), $"layer {epochs[0].Layers[k].Layer + 1}");
            LogPlots.UseLogY(plot, title);
            plot.Title(title);
            plot.XLabel("epoch (mean over its steps)");
            plot.ShowLegend(Edge.Right);
        }
    }

    /// <summary>The saturated fraction of every layer whose activation declares one, by epoch; false (and nothing written) when none does.</summary>
    /// <param name="path">The PNG file.</param>
    public bool PlotSaturation(string path)
    {
        var declared = Enumerable.Range(0, Layers).Where(k => epochs.Any(e => !double.IsNaN(e.Layers[k].SaturatedFraction))).ToArray();
        if (declared.Length == 0) return false;
        var plot = new Plot();
        var x = epochs.Select(e => (double)e.Epoch).ToArray();
        foreach (int k in declared)
        {
            var line = plot.Add.Scatter(x, epochs.Select(e => e.Layers[k].SaturatedFraction).ToArray());
            line.LegendText = $"layer {epochs[0].Layers[k].Layer + 1}";
            line.LineWidth = 2;
            line.MarkerSize = x.Length > 20 ? 0 : 6;
        }
        plot.Axes.SetLimitsY(0, 1);
        plot.Title("Saturated units, by each activation's rule");
        plot.XLabel("epoch (mean over its steps)");
        plot.YLabel("fraction saturated");
        plot.ShowLegend(Edge.Right);
        plot.SavePng(path, 800, 500);
        return true;
    }

    /// <summary>
    /// When, in some epoch, the first layer's update-to-weight ratio was at most 1/<see cref="SlowFactor"/> of the last layer's: one
    /// line saying so, with the worst epoch; else null.
    /// </summary>
    public string? SlowFirstLayer()
    {
        if (Layers < 2) return null;
        var ratios = epochs.Select(e => (e.Epoch, Ratio: e.Layers[0].UpdateRatio / e.Layers[^1].UpdateRatio)).Where(r => double.IsFinite(r.Ratio)).ToArray();
        var slow = ratios.Where(r => r.Ratio * SlowFactor <= 1).ToArray();
        if (slow.Length == 0) return null;
        var worst = slow.MinBy(r => r.Ratio);
        int first = epochs[0].Layers[0].Layer + 1, last = epochs[0].Layers[^1].Layer + 1;
        return $"layer {first} learned {(1 / worst.Ratio).ToString("F0", CultureInfo.InvariantCulture)} times slower than layer {last} " +
               $"(‖Δw‖/‖w‖ per step in epoch {worst.Epoch}; over {SlowFactor} times slower in {slow.Length} of {epochs.Count} epochs): " +
               "the gradients vanish toward the input; see gradients.png.";
    }

    private int Layers => epochs.Count == 0 ? 0 : epochs[0].Layers.Length;
}
