namespace Engine.Data;

/// <summary>Samples as two row-major matrices: features <c>[Count, FeatureCount]</c> and targets <c>[Count, TargetWidth]</c>.</summary>
public sealed class Dataset
{
    /// <summary>Wraps the arrays (not copied).</summary>
    /// <param name="features">Row-major features.</param>
    /// <param name="featureCount">Values per sample.</param>
    /// <param name="targets">Row-major targets.</param>
    /// <param name="targetWidth">Target values per sample (1 for a label).</param>
    public Dataset(double[] features, int featureCount, double[] targets, int targetWidth)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(targets);
        if (featureCount <= 0) throw new ArgumentOutOfRangeException(nameof(featureCount), featureCount, "featureCount must be positive.");
        if (targetWidth <= 0) throw new ArgumentOutOfRangeException(nameof(targetWidth), targetWidth, "targetWidth must be positive.");
        if (features.Length % featureCount != 0)
            throw new ArgumentException($"features has {features.Length} values, not a whole number of rows of {featureCount}.", nameof(features));
        Count = features.Length / featureCount;
        if (targets.Length != Count * targetWidth)
            throw new ArgumentException($"targets must be [{Count}, {targetWidth}] = {Count * targetWidth} values to match the features, but has {targets.Length}.", nameof(targets));
        Features = features;
        FeatureCount = featureCount;
        Targets = targets;
        TargetWidth = targetWidth;
    }

    /// <summary>Row-major features.</summary>
    public double[] Features { get; }

    /// <summary>Row-major targets.</summary>
    public double[] Targets { get; }

    /// <summary>Values per sample.</summary>
    public int FeatureCount { get; }

    /// <summary>Target values per sample.</summary>
    public int TargetWidth { get; }

    /// <summary>Samples.</summary>
    public int Count { get; }

    /// <summary>The features of sample <paramref name="i"/>.</summary>
    /// <param name="i">Sample index.</param>
    public ReadOnlySpan<double> FeatureRow(int i) => Features.AsSpan(i * FeatureCount, FeatureCount);

    /// <summary>The targets of sample <paramref name="i"/>.</summary>
    /// <param name="i">Sample index.</param>
    public ReadOnlySpan<double> TargetRow(int i) => Targets.AsSpan(i * TargetWidth, TargetWidth);

    /// <summary>The samples at <paramref name="indices"/>, copied, in that order.</summary>
    /// <param name="indices">Sample indices.</param>
    public Dataset Select(IReadOnlyList<int> indices)
    {
        var features = new double[indices.Count * FeatureCount];
        var targets = new double[indices.Count * TargetWidth];
        for (int r = 0; r < indices.Count; r++)
        {
            FeatureRow(indices[r]).CopyTo(features.AsSpan(r * FeatureCount));
            TargetRow(indices[r]).CopyTo(targets.AsSpan(r * TargetWidth));
        }
        return new Dataset(features, FeatureCount, targets, TargetWidth);
    }

    /// <summary>Targets as one-hot rows: the integer label in column 0 of each target row becomes a row of <paramref name="classes"/>.</summary>
    /// <param name="classes">Number of classes.</param>
    public Dataset OneHot(int classes)
    {
        if (TargetWidth != 1) throw new InvalidOperationException($"OneHot needs one label per sample, but targets are {TargetWidth} wide.");
        var targets = new double[Count * classes];
        for (int i = 0; i < Count; i++)
        {
            double label = Targets[i];
            if (!(label >= 0 && label < classes && label == Math.Floor(label)))
                throw new ArgumentException($"targets[{i}] must be a class label in [0, {classes - 1}], but is {label}.", nameof(classes));
            targets[i * classes + (int)label] = 1.0;
        }
        return new Dataset(Features, FeatureCount, targets, classes);
    }

    /// <summary>A copy with each target mapped by <paramref name="map"/> (e.g. labels {0, 1} to {−1, +1} for the hinge).</summary>
    /// <param name="map">Applied to every target value.</param>
    public Dataset MapTargets(Func<double, double> map) => new(Features, FeatureCount, Targets.Select(map).ToArray(), TargetWidth);
}
