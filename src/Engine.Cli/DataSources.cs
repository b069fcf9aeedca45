using Engine.Data;

namespace Engine.Cli;

/// <summary>Where <c>--data</c> points: an embedded data set by name (provenance in data/NOTICE.md), a CSV file, or MNIST-format IDX files.</summary>
public static class DataSources
{
    /// <summary>The embedded data sets and their resource names.</summary>
    public static readonly IReadOnlyDictionary<string, string> Embedded = new Dictionary<string, string>
    {
        ["digits"] = "digits.csv.gz",
        ["iris"] = "iris.csv",
        ["breast-cancer"] = "breast_cancer.csv",
    };

    /// <summary>Loads labelled data: features and one label per row (the last CSV column, or the IDX labels file).</summary>
    /// <param name="spec">An embedded name, a <c>.csv</c>/<c>.csv.gz</c> path, or an IDX images path.</param>
    /// <param name="labels">For IDX images: the labels file (default: the images name with <c>images-idx3</c> replaced by <c>labels-idx1</c>).</param>
    public static Dataset Load(string spec, string? labels = null)
    {
        if (Embedded.TryGetValue(spec, out var resource))
        {
            using var stream = typeof(DataSources).Assembly.GetManifestResourceStream(resource)
                               ?? throw new InvalidOperationException($"The embedded resource {resource} is missing from the build.");
            using var decompressed = resource.EndsWith(".gz") ? new System.IO.Compression.GZipStream(stream, System.IO.Compression.CompressionMode.Decompress) : stream;
            using var reader = new StreamReader(decompressed);
            return CsvReader.Read(reader, source: resource);
        }
        if (!File.Exists(spec))
            throw new ArgumentException($"--data must be one of {string.Join(", ", Embedded.Keys)}, a CSV file or an IDX images file, but '{spec}' is none of them.", "data");
        if (IsIdx(spec))
        {
            string labelFile = labels ?? spec.Replace("images-idx3", "labels-idx1");
            if (labelFile == spec || !File.Exists(labelFile))
                throw new ArgumentException($"--labels must name the IDX labels file for '{spec}' (looked for '{labelFile}').", "labels");
            return IdxReader.ReadDataset(spec, labelFile);
        }
        return CsvReader.ReadFile(spec);
    }

    /// <summary>Whether <paramref name="spec"/> names IDX images rather than CSV.</summary>
    /// <param name="spec">The <c>--data</c> value.</param>
    public static bool IsIdx(string spec) =>
        !Embedded.ContainsKey(spec) && spec.Contains("idx", StringComparison.OrdinalIgnoreCase) && !spec.EndsWith(".csv") && !spec.EndsWith(".csv.gz");

    /// <summary>As <see cref="Load"/>, with every way reading can fail turned into an error that names the option and the file.</summary>
    /// <param name="spec">The <c>--data</c> value.</param>
    /// <param name="labels">The <c>--labels</c> value.</param>
    public static Dataset LoadChecked(string spec, string? labels)
    {
        if (!Embedded.ContainsKey(spec) && Directory.Exists(spec)) throw new BadInputException($"--data '{spec}' is a folder, not a file.");
        try
        {
            return Load(spec, labels);
        }
        catch (ArgumentException e) { throw new BadInputException(e.Message, e); }
        catch (DataFormatException e) { throw new BadInputException($"--data: {e.Message}", e); }
        catch (InvalidDataException e) { throw new BadInputException($"--data '{spec}': {e.Message}", e); }
        catch (UnauthorizedAccessException e) { throw new BadInputException($"--data '{spec}': permission denied.", e); }
        catch (IOException e) { throw new BadInputException($"--data '{spec}': {e.Message}", e); }
    }

    /// <summary>Number of classes: one more than the largest label, when every label is a non-negative integer; otherwise 0 (regression).</summary>
    /// <param name="data">Data with one label per row.</param>
    public static int Classes(Dataset data) =>
        data.Targets.All(t => t >= 0 && t == Math.Floor(t) && t < 100_000) ? (int)data.Targets.Max() + 1 : 0;
}
