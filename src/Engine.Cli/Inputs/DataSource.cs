using System.IO.Compression;
using Engine.Data;

namespace Engine.Cli.Inputs;

/// <summary>
/// What a data option (<c>--data</c>, <c>--test-data</c>, <c>--input</c>) names, read by the engine's readers: an embedded data
/// set by name (provenance in data/NOTICE.md), an IDX images file (recognized by its first two bytes, 00 00, after any gzip, unless named .csv) with
/// its labels file, or a CSV file. Every failure is an error that names the option and the file.
/// </summary>
public static class DataSource
{
    /// <summary>The embedded data sets and their resource names.</summary>
    public static readonly IReadOnlyDictionary<string, string> Embedded = new Dictionary<string, string>
    {
        ["digits"] = "digits.csv.gz",
        ["iris"] = "iris.csv",
        ["breast-cancer"] = "breast_cancer.csv",
    };

    /// <summary>An embedded data set, read with the default CSV rules (its header line declares the class names, if any).</summary>
    /// <param name="name">A key of <see cref="Embedded"/>.</param>
    public static DataTable LoadEmbedded(string name)
    {
        string resource = Embedded[name];
        using var stream = typeof(DataSource).Assembly.GetManifestResourceStream(resource)
                           ?? throw new InvalidOperationException($"The embedded resource {resource} is missing from the build.");
        using var decompressed = resource.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(stream, CompressionMode.Decompress) : stream;
        using var reader = new StreamReader(decompressed);
        return CsvReader.Read(reader, new CsvOptions(), name);
    }

    /// <summary>Whether <paramref name="spec"/> names an IDX file (it must exist): one that starts with IDX's two zero bytes, unless its name says CSV.</summary>
    /// <param name="spec">A path.</param>
    /// <param name="limit">The input limit.</param>
    private static bool IsIdx(string spec, long limit)
    {
        using var stream = DataFile.Open(spec, limit);
        if (spec.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) || spec.EndsWith(".csv.gz", StringComparison.OrdinalIgnoreCase)) return false;
        Span<byte> magic = stackalloc byte[2];
        return stream.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0 && magic[1] == 0;
    }

    /// <summary>Loads labelled data.</summary>
    /// <param name="spec">The data option's value.</param>
    /// <param name="labels">The IDX labels file given, or null to derive it from the images file's name.</param>
    /// <param name="reading">The CSV and limit options.</param>
    /// <param name="dataOption">The option that named the data, for messages.</param>
    /// <param name="labelsOption">The option that names the labels file, for messages.</param>
    public static DataTable Load(string spec, string? labels, DataReading reading, string dataOption, string labelsOption)
    {
        long limit = reading.Csv.Limit;
        if (Embedded.ContainsKey(spec))
        {
            if (reading.CsvOnlyGiven.FirstOrDefault() is { } csvOnly)
                throw new BadInputException($"{csvOnly} does not apply to the embedded data set {spec}.");
            if (labels is not null) throw new BadInputException($"{labelsOption} applies only to IDX images; {dataOption} {spec} is an embedded CSV data set.");
            return LoadEmbedded(spec);
        }
        return Read(spec, dataOption, () =>
        {
            if (!IsIdx(spec, limit))
            {
                if (labels is not null) throw new BadInputException($"{labelsOption} applies only to IDX images; {dataOption} '{spec}' is a CSV file.");
                return CsvReader.ReadFile(spec, reading.Csv);
            }
            if (reading.CsvOnlyGiven.FirstOrDefault() is { } csvOnly)
                throw new BadInputException($"{csvOnly} applies only to CSV data; {dataOption} '{spec}' is an IDX file.");
            string labelFile = labels ?? DeriveLabels(spec, dataOption, labelsOption);
            InputFiles.RequireFile(labelFile, labelsOption);
            return IdxReader.ReadDataset(spec, labelFile, limit);
        });
    }

    /// <summary>Loads feature rows without labels (CSV), from a file or standard input.</summary>
    /// <param name="path">The file, or null for standard input.</param>
    /// <param name="input">Standard input.</param>
    /// <param name="reading">The CSV and limit options.</param>
    /// <param name="option">The option that named the file.</param>
    public static DataTable LoadFeatures(string? path, TextReader input, DataReading reading, string option)
    {
        var options = reading.Csv;
        if (path is null) return Read("standard input", option, () => CsvReader.Read(input, options, "standard input"), requireFile: false);
        return Read(path, option, () => CsvReader.ReadFile(path, options));
    }

    /// <summary>MNIST's convention: <c>train-images-idx3-ubyte</c> beside <c>train-labels-idx1-ubyte</c>.</summary>
    private static string DeriveLabels(string images, string dataOption, string labelsOption)
    {
        string name = Path.GetFileName(images);
        string derived = name.Replace("images-idx3", "labels-idx1", StringComparison.Ordinal);
        if (derived == name)
            throw new BadInputException($"{labelsOption} is needed: the labels of {dataOption} '{images}' cannot be found from its name (MNIST's names are …-images-idx3-ubyte and …-labels-idx1-ubyte).");
        string path = Path.Combine(Path.GetDirectoryName(images) ?? "", derived);
        if (!File.Exists(path)) throw new BadInputException($"{labelsOption} is needed: the labels of {dataOption} '{images}' would be '{path}', which does not exist.");
        return path;
    }

    /// <summary>Runs a reader, turning its failures into errors that name the option.</summary>
    private static DataTable Read(string path, string option, Func<DataTable> read, bool requireFile = true)
    {
        if (requireFile) InputFiles.RequireFile(path, option);
        try
        {
            return read();
        }
        catch (DataLimitException e)
        {
            throw new BadInputException($"{option}: {e.Message[..^1]} (--input-limit).", e);
        }
        catch (CsvCellException e) when (e.InFirstRecord)
        {
            throw new BadInputException($"{option}: {e.Message} If line {e.Line} is a header, pass --header yes.", e);
        }
        catch (DataFormatException e)
        {
            throw new BadInputException($"{option}: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new BadInputException($"{option} '{path}': permission denied.", e);
        }
        catch (IOException e)
        {
            throw new BadInputException($"{option} '{path}': {e.Message}", e);
        }
    }
}
