using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Engine.Data;

namespace Engine.Cli.Runs;

/// <summary>
/// What <c>nn train</c> records in the model file's metadata, so that <c>nn evaluate --part</c> can find the data again and score
/// exactly the part it held out: the data options (file paths made absolute), the task, how the test part was chosen, and a
/// SHA-256 digest of the data as read, which must match before a split is recomputed.
/// </summary>
/// <param name="Data">The <c>--data</c> value as given.</param>
/// <param name="DataPath">Its absolute path, or null for an embedded data set.</param>
/// <param name="LabelsPath">The IDX labels file's absolute path, if any.</param>
/// <param name="TestDataPath">The <c>--test-data</c> file's absolute path, if given.</param>
/// <param name="TestLabelsPath">The test IDX labels file's absolute path, if any.</param>
/// <param name="Header">The <c>--header</c> value, if given.</param>
/// <param name="Delimiter">The <c>--delimiter</c> value, if given.</param>
/// <param name="LabelColumn">The <c>--label-column</c> value, if given.</param>
/// <param name="Task">classification or regression.</param>
/// <param name="Split">How the test part was chosen: stratified, random (80/20 by <see cref="Seed"/>) or file (<c>--test-data</c>).</param>
/// <param name="TestFraction">The test part's fraction for a split.</param>
/// <param name="Seed">The run's seed.</param>
/// <param name="Digest">SHA-256 of the training data as read (<see cref="DigestOf"/>).</param>
public sealed record RunRecord(string Data, string? DataPath, string? LabelsPath, string? TestDataPath, string? TestLabelsPath,
    string? Header, string? Delimiter, string? LabelColumn, string Task, string Split, double TestFraction, int Seed, string Digest)
{
    /// <summary>The metadata entries.</summary>
    public Dictionary<string, string> ToMetadata()
    {
        var entries = new Dictionary<string, string>
        {
            ["data"] = Data,
            ["task"] = Task,
            ["split"] = Split,
            ["test_fraction"] = TestFraction.ToString("R", CultureInfo.InvariantCulture),
            ["seed"] = Seed.ToString(CultureInfo.InvariantCulture),
            ["data_sha256"] = Digest,
        };
        void Add(string key, string? value) { if (value is not null) entries[key] = value; }
        Add("data_path", DataPath);
        Add("labels_path", LabelsPath);
        Add("test_data_path", TestDataPath);
        Add("test_labels_path", TestLabelsPath);
        Add("csv_header", Header);
        Add("csv_delimiter", Delimiter);
        Add("label_column", LabelColumn);
        return entries;
    }

    /// <summary>The record in a model's metadata, or null when the model was not written by this version of <c>nn train</c>.</summary>
    /// <param name="metadata">The model file's metadata.</param>
    public static RunRecord? FromMetadata(IReadOnlyDictionary<string, string> metadata)
    {
        string? Get(string key) => metadata.TryGetValue(key, out var value) ? value : null;
        if (Get("data") is not { } data || Get("task") is not { } task || Get("split") is not { } split || Get("data_sha256") is not { } digest
            || !int.TryParse(Get("seed"), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int seed)
            || !double.TryParse(Get("test_fraction"), NumberStyles.Float, CultureInfo.InvariantCulture, out double fraction))
            return null;
        return new RunRecord(data, Get("data_path"), Get("labels_path"), Get("test_data_path"), Get("test_labels_path"),
            Get("csv_header"), Get("csv_delimiter"), Get("label_column"), task, split, fraction, seed, digest);
    }

    /// <summary>SHA-256 of a table's features, in order, and its label cells: equal digests mean the same rows in the same order.</summary>
    /// <param name="table">The data as read.</param>
    public static string DigestOf(DataTable table)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(BitConverter.GetBytes(table.FeatureCount));
        hash.AppendData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(table.Features.AsSpan()));
        foreach (string label in table.Labels ?? []) hash.AppendData(Encoding.UTF8.GetBytes(label + "\n"));
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
