namespace Engine.Data;

/// <summary>
/// Standardization x' = (x − mean)/std per feature, fitted on training data and applied unchanged to any later data
/// (the notes' remedy for features of different scales). std is the population standard deviation; a constant feature gets std 1.
/// </summary>
public sealed class Standardizer
{
    /// <summary>A standardizer with the given statistics.</summary>
    /// <param name="means">Per-feature means.</param>
    /// <param name="deviations">Per-feature standard deviations, all positive.</param>
    public Standardizer(double[] means, double[] deviations)
    {
        if (means.Length != deviations.Length)
            throw new ArgumentException($"deviations must have one value per feature ({means.Length}), but has {deviations.Length}.", nameof(deviations));
        for (int j = 0; j < deviations.Length; j++)
            if (!(deviations[j] > 0) || !double.IsFinite(deviations[j]) || !double.IsFinite(means[j]))
                throw new ArgumentException($"feature {j} needs a finite mean and a positive finite deviation, but has {means[j]} and {deviations[j]}.", nameof(deviations));
        Means = means;
        Deviations = deviations;
    }

    /// <summary>Per-feature means.</summary>
    public double[] Means { get; }

    /// <summary>Per-feature standard deviations (1 where the feature was constant).</summary>
    public double[] Deviations { get; }

    /// <summary>Fits the means and deviations on <paramref name="data"/>.</summary>
    /// <param name="data">Training data, at least one sample.</param>
    public static Standardizer Fit(Dataset data)
    {
        if (data.Count == 0) throw new ArgumentException("Cannot fit a standardizer on an empty dataset.", nameof(data));
        int width = data.FeatureCount;
        var means = new double[width];
        var deviations = new double[width];
        for (int i = 0; i < data.Count; i++)
        {
            var row = data.FeatureRow(i);
            for (int j = 0; j < width; j++) means[j] += row[j];
        }
        for (int j = 0; j < width; j++) means[j] /= data.Count;
        for (int i = 0; i < data.Count; i++)
        {
            var row = data.FeatureRow(i);
            for (int j = 0; j < width; j++) deviations[j] += (row[j] - means[j]) * (row[j] - means[j]);
        }
        for (int j = 0; j < width; j++)
        {
            double deviation = Math.Sqrt(deviations[j] / data.Count);
            deviations[j] = deviation > 0 ? deviation : 1.0;
        }
        return new Standardizer(means, deviations);
    }

    /// <summary>Standardized copies of feature rows.</summary>
    /// <param name="features">Row-major rows with as many features as were fitted.</param>
    public double[] Transform(ReadOnlySpan<double> features)
    {
        if (features.Length % Means.Length != 0)
            throw new ArgumentException($"features must be whole rows of {Means.Length} values, but has {features.Length}.", nameof(features));
        var result = new double[features.Length];
        for (int i = 0; i < result.Length; i++)
        {
            int j = i % Means.Length;
            result[i] = (features[i] - Means[j]) / Deviations[j];
        }
        return result;
    }

    /// <summary>A copy of <paramref name="data"/> with standardized features (targets shared).</summary>
    /// <param name="data">Data with as many features as were fitted.</param>
    public Dataset Transform(Dataset data)
    {
        if (data.FeatureCount != Means.Length)
            throw new ArgumentException($"data must have {Means.Length} features, as fitted, but has {data.FeatureCount}.", nameof(data));
        return new Dataset(Transform(data.Features), data.FeatureCount, data.Targets, data.TargetWidth);
    }
}
