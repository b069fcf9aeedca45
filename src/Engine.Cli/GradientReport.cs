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
    public void WriteCsv(string path)
    {
        static string F(double value) => double.IsNaN(value) ? "" : value.ToString("R", CultureInfo.InvariantCulture);
        File.WriteAllLines(path, epochs.SelectMany(e => e.Layers.Select(s =>
                $"{e.Epoch},{s.Layer + 1},{F(s.DeltaNorm)},{F(s.WeightGradientNorm)},{F(s.BiasGradientNorm)},{F(s.UpdateRatio)},{F(s.SaturatedFraction)}"))
            .Prepend("epoch,layer,delta_norm,weight_gradient_norm,bias_gradient_norm,update_ratio,saturated_fraction"));
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
