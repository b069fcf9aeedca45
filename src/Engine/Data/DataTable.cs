using System.Globalization;

namespace Engine.Data;

/// <summary>
/// Samples as a reader found them, before a task says what the labels mean: numeric features, one label cell per row as
/// written (or none, for rows to predict), the column names of a header, and where each row came from, so that every later
/// check can name the file and the line (CSV) or item (IDX).
/// </summary>
public sealed class DataTable
{
    /// <summary>A table over the given arrays (not copied).</summary>
    /// <param name="source">The file's name, for messages.</param>
    /// <param name="features">Row-major features, every value finite.</param>
    /// <param name="featureCount">Features per row, at least 1.</param>
    /// <param name="labels">One label cell per row, or null when the rows have no label.</param>
    /// <param name="positions">Where each row came from: its line (CSV, 1-based) or item (IDX, 0-based).</param>
    /// <param name="positionUnit"><c>line</c> or <c>item</c>.</param>
    /// <param name="featureNames">The features' column names, when a header gave them.</param>
    /// <param name="labelName">The label's column name, when a header gave it.</param>
    /// <param name="classNames">Class names the file declares for labels 0..K−1 (scikit-learn's header line), if any.</param>
    public DataTable(string source, double[] features, int featureCount, string[]? labels, int[] positions, string positionUnit,
        IReadOnlyList<string>? featureNames = null, string? labelName = null, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(positions);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(featureCount);
        if (features.Length % featureCount != 0)
            throw new ArgumentException($"features has {features.Length} values, not a whole number of rows of {featureCount}.", nameof(features));
        Count = features.Length / featureCount;
        if (positions.Length != Count) throw new ArgumentException($"positions must have one entry per row ({Count}), but has {positions.Length}.", nameof(positions));
        if (labels is not null && labels.Length != Count) throw new ArgumentException($"labels must have one entry per row ({Count}), but has {labels.Length}.", nameof(labels));
        if (featureNames is not null && featureNames.Count != featureCount)
            throw new ArgumentException($"featureNames must name {featureCount} features, but has {featureNames.Count}.", nameof(featureNames));
        Source = source;
        Features = features;
        FeatureCount = featureCount;
        Labels = labels;
        Positions = positions;
        PositionUnit = positionUnit;
        FeatureNames = featureNames;
        LabelName = labelName;
        ClassNames = classNames;
    }

    /// <summary>The file's name, for messages.</summary>
    public string Source { get; }

    /// <summary>Row-major features.</summary>
    public double[] Features { get; }

    /// <summary>Features per row.</summary>
    public int FeatureCount { get; }

    /// <summary>Rows.</summary>
    public int Count { get; }

    /// <summary>The label cell of each row as written, or null when the rows carry no label.</summary>
    public string[]? Labels { get; }

    /// <summary>Where each row came from: its line (CSV) or item (IDX).</summary>
    public int[] Positions { get; }

    /// <summary><c>line</c> or <c>item</c>.</summary>
    public string PositionUnit { get; }

    /// <summary>The features' column names, when a header gave them.</summary>
    public IReadOnlyList<string>? FeatureNames { get; }

    /// <summary>The label's column name, when a header gave it.</summary>
    public string? LabelName { get; }

    /// <summary>Class names the file declares for labels 0..K−1, if any.</summary>
    public IReadOnlyList<string>? ClassNames { get; }

    /// <summary>Where row <paramref name="row"/> came from, for messages: <c>data.csv, line 12</c>.</summary>
    /// <param name="row">A row index.</param>
    public string Where(int row) => $"{Source}, {PositionUnit} {Positions[row].ToString(CultureInfo.InvariantCulture)}";

    /// <summary>The labels, or an exception saying the rows have none.</summary>
    public string[] RequireLabels() =>
        Labels ?? throw new InvalidOperationException($"{Source} was read without a label column.");

    /// <summary>The rows with each label as a class index (the target width is 1): <paramref name="classes"/> maps the labels.</summary>
    /// <param name="classes">The classes, e.g. <see cref="Classes.Infer"/> of this table or of the training data.</param>
    /// <exception cref="DataFormatException">A label is not one of the classes; the message names its position.</exception>
    public Dataset Classified(Classes classes)
    {
        var labels = RequireLabels();
        var targets = new double[Count];
        for (int i = 0; i < Count; i++) targets[i] = classes.IndexOf(labels[i], this, i);
        return new Dataset(Features, FeatureCount, targets, 1);
    }

    /// <summary>The rows with each label as a class index, the classes inferred from this table (<see cref="Classes.Infer"/>).</summary>
    public Dataset Classified() => Classified(Classes.Infer(this));

    /// <summary>The rows with each label as its number (regression).</summary>
    /// <exception cref="DataFormatException">A label is not a finite number; the message names its position.</exception>
    public Dataset Numeric()
    {
        var labels = RequireLabels();
        var targets = new double[Count];
        for (int i = 0; i < Count; i++)
            if (!double.TryParse(labels[i], NumberStyles.Float, CultureInfo.InvariantCulture, out targets[i]) || !double.IsFinite(targets[i]))
                throw new DataFormatException($"{Where(i)}: the target '{labels[i]}' is not a finite number.");
        return new Dataset(Features, FeatureCount, targets, 1);
    }
}
