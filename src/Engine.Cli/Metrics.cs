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
    public static void WriteCsv(string path, IReadOnlyList<MetricsRow> rows)
    {
        static string F(double? v) => v is { } x ? x.ToString("R", CultureInfo.InvariantCulture) : "";
        File.WriteAllLines(path, rows.Select(r => $"{r.Epoch},{F(r.TrainLoss)},{F(r.TrainAccuracy)},{F(r.TestLoss)},{F(r.TestAccuracy)}")
            .Prepend("epoch,train_loss,train_accuracy,test_loss,test_accuracy"));
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
