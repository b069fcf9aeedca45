using System.Globalization;
using ScottPlot;
using ScottPlot.Plottables;
using ScottPlot.TickGenerators;

namespace Engine.Cli;

/// <summary>
/// Line plots with a logarithmic y axis (ScottPlot draws linear axes: the values are plotted as log₁₀ and the ticks labelled as
/// powers of ten), for quantities that span orders of magnitude: gradient norms by layer, costs by epoch.
/// </summary>
public static class LogPlots
{
    /// <summary>Labels the y axis of <paramref name="plot"/> in powers of ten, with log-spaced minor ticks.</summary>
    /// <param name="plot">A plot whose y values are log₁₀ of the quantity.</param>
    /// <param name="label">The quantity.</param>
    public static void UseLogY(Plot plot, string label)
    {
        plot.Axes.Left.TickGenerator = new NumericAutomatic
        {
            MinorTickGenerator = new LogMinorTickGenerator(),
            IntegerTicksOnly = true,
            LabelFormatter = exponent => "1e" + exponent.ToString("0", CultureInfo.InvariantCulture),
        };
        plot.YLabel(label);
    }

    /// <summary>Adds a line of log₁₀(<paramref name="ys"/>); points whose value is not positive and finite are left out.</summary>
    /// <param name="plot">The plot.</param>
    /// <param name="xs">The x values.</param>
    /// <param name="ys">The values, drawn on the log scale.</param>
    /// <param name="legend">The line's legend text.</param>
    public static Scatter AddLine(Plot plot, IReadOnlyList<double> xs, IReadOnlyList<double> ys, string legend)
    {
        var kept = Enumerable.Range(0, xs.Count).Where(i => ys[i] > 0 && double.IsFinite(ys[i])).ToArray();
        var line = plot.Add.Scatter(kept.Select(i => xs[i]).ToArray(), kept.Select(i => Math.Log10(ys[i])).ToArray());
        line.LegendText = legend;
        line.LineWidth = 2;
        // Markers only where there are few points to mark (layers, not epochs).
        line.MarkerSize = kept.Length > 20 ? 0 : 6;
        return line;
    }
}
