using System.Globalization;

namespace Engine.Cli;

/// <summary>One epoch's figures.</summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="TrainLoss">Mean training loss over the epoch.</param>
/// <param name="TrainAccuracy">Training accuracy over the epoch, where the loss defines one.</param>
/// <param name="TestLoss">Loss on the test part after the epoch.</param>
/// <param name="TestAccuracy">Accuracy on the test part after the epoch.</param>
public sealed record MetricsRow(int Epoch, double TrainLoss, double? TrainAccuracy, double TestLoss, double? TestAccuracy);

/// <summary>Writes per-epoch metrics as CSV and as PNG plots (ScottPlot).</summary>
public static class Metrics
{
    /// <summary>Writes <c>epoch,train_loss,train_accuracy,test_loss,test_accuracy</c>, one row per epoch.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="rows">The epochs.</param>
    public static void WriteCsv(string path, IReadOnlyList<MetricsRow> rows) => File.WriteAllText(path, Csv(rows));

    private const string Header = "epoch,train_loss,train_accuracy,test_loss,test_accuracy";

    /// <summary>The CSV text <see cref="WriteCsv"/> writes: every number round-trip, an absent accuracy empty.</summary>
    /// <param name="rows">The epochs.</param>
    public static string Csv(IReadOnlyList<MetricsRow> rows)
    {
        static string F(double? v) => v is { } x ? x.ToString("R", CultureInfo.InvariantCulture) : "";
        return string.Concat(rows.Select(r => $"{r.Epoch},{F(r.TrainLoss)},{F(r.TrainAccuracy)},{F(r.TestLoss)},{F(r.TestAccuracy)}\n").Prepend(Header + "\n"));
    }

    /// <summary>The rows of CSV text written by <see cref="Csv"/> (from a checkpoint), exactly.</summary>
    /// <param name="text">The CSV text.</param>
    /// <exception cref="FormatException">The text is not such CSV.</exception>
    public static List<MetricsRow> Parse(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length == 0 || lines[0] != Header) throw new FormatException($"the metrics must start with the header {Header}.");
        static double? F(string cell) => cell.Length == 0 ? null : double.Parse(cell, NumberStyles.Float, CultureInfo.InvariantCulture);
        return lines.Skip(1).Select(line =>
        {
            var cells = line.Split(',');
            if (cells.Length != 5) throw new FormatException($"a metrics row must have 5 fields, but '{line}' has {cells.Length}.");
            return new MetricsRow(int.Parse(cells[0], CultureInfo.InvariantCulture), F(cells[1]) ?? double.NaN, F(cells[2]), F(cells[3]) ?? double.NaN, F(cells[4]));
        }).ToList();
    }

    /// <summary>A line plot of a training and a test series by epoch.</summary>
    /// <param name="path">The PNG file.</param>
    /// <param name="rows">The epochs.</param>
    /// <param name="title">The quantity plotted.</param>
    /// <param name="train">The training series.</param>
    /// <param name="test">The test series.</param>
    public static void Plot(string path, IReadOnlyList<MetricsRow> rows, string title, Func<MetricsRow, double> train, Func<MetricsRow, double> test)
    {
        var plot = new ScottPlot.Plot();
        var epochs = rows.Select(r => (double)r.Epoch).ToArray();
        var trainLine = plot.Add.Scatter(epochs, rows.Select(train).ToArray());
        trainLine.LegendText = "train";
        var testLine = plot.Add.Scatter(epochs, rows.Select(test).ToArray());
        testLine.LegendText = "test";
        plot.Title($"{title} by epoch");
        plot.XLabel("epoch");
        plot.YLabel(title.ToLowerInvariant());
        plot.ShowLegend();
        plot.SavePng(path, 800, 500);
    }
}
