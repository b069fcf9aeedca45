using System.Globalization;
using System.IO.Compression;

namespace Engine.Data;

/// <summary>Thrown for malformed input data; the message gives the position (line and column, or byte offset).</summary>
public sealed class DataFormatException : FormatException
{
    /// <summary>Describes the problem.</summary>
    /// <param name="message">What is wrong, and where.</param>
    public DataFormatException(string message) : base(message) { }
}

/// <summary>
/// Reads numeric CSV into a <see cref="Dataset"/> with one label column as the target. Comma-separated, invariant culture,
/// optional header line, blank lines skipped; a file ending in <c>.gz</c> is decompressed.
/// </summary>
public static class CsvReader
{
    /// <summary>Reads a CSV file (gzip'd when the name ends in <c>.gz</c>).</summary>
    /// <param name="path">The file.</param>
    /// <param name="labelColumn">The label's 0-based column; negative counts from the end (−1 = last).</param>
    /// <param name="hasHeader">Whether the first line is a header; null detects it (a first line with a non-numeric field, or of another width).</param>
    public static Dataset ReadFile(string path, int labelColumn = -1, bool? hasHeader = null)
    {
        using Stream file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var reader = new StreamReader(stream);
        return Read(reader, labelColumn, hasHeader, Path.GetFileName(path));
    }

    /// <summary>Reads CSV text.</summary>
    /// <param name="reader">The text.</param>
    /// <param name="labelColumn">The label's 0-based column; negative counts from the end (−1 = last).</param>
    /// <param name="hasHeader">Whether the first line is a header; null detects it.</param>
    /// <param name="source">Name used in error messages.</param>
    /// <exception cref="DataFormatException">A row is malformed; the message names the line and column.</exception>
    public static Dataset Read(TextReader reader, int labelColumn = -1, bool? hasHeader = null, string source = "input")
    {
        var lines = new List<(int Number, string Text)>();
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (!string.IsNullOrWhiteSpace(line)) lines.Add((lineNumber, line));
        }
        bool skipFirst = lines.Count > 0 && (hasHeader ?? IsHeader(lines));
        var rows = new List<double[]>(lines.Count);
        int width = -1;
        foreach (var (number, text) in lines.Skip(skipFirst ? 1 : 0))
        {
            var row = Parse(text, number, source);
            if (width >= 0 && row.Length != width)
                throw new DataFormatException($"{source}, line {number}: expected {width} fields, as the first data row, but found {row.Length}.");
            width = row.Length;
            rows.Add(row);
        }
        if (rows.Count == 0) throw new DataFormatException($"{source}: no data rows.");
        if (width < 2) throw new DataFormatException($"{source}: rows need at least one feature and a label, but have {width} field(s).");
        int label = labelColumn < 0 ? width + labelColumn : labelColumn;
        if (label < 0 || label >= width)
            throw new ArgumentOutOfRangeException(nameof(labelColumn), labelColumn, $"labelColumn must select one of the {width} columns.");
        var features = new double[rows.Count * (width - 1)];
        var targets = new double[rows.Count];
        for (int i = 0; i < rows.Count; i++)
        {
            targets[i] = rows[i][label];
            for (int j = 0, f = 0; j < width; j++)
                if (j != label) features[i * (width - 1) + f++] = rows[i][j];
        }
        return new Dataset(features, width - 1, targets, 1);
    }

    /// <summary>A first line with a non-numeric field, or of another width than the second (scikit-learn's "150,4,setosa,…"), is a header.</summary>
    private static bool IsHeader(List<(int Number, string Text)> lines)
    {
        var fields = lines[0].Text.Split(',');
        if (fields.Any(f => !double.TryParse(f, NumberStyles.Float, CultureInfo.InvariantCulture, out _))) return true;
        return lines.Count > 1 && lines[1].Text.Split(',').Length != fields.Length;
    }

    private static double[] Parse(string line, int lineNumber, string source)
    {
        var fields = line.Split(',');
        var values = new double[fields.Length];
        for (int j = 0; j < fields.Length; j++)
        {
            if (!double.TryParse(fields[j], NumberStyles.Float, CultureInfo.InvariantCulture, out values[j]))
                throw new DataFormatException($"{source}, line {lineNumber}, column {j + 1}: '{fields[j].Trim()}' is not a number.");
            if (!double.IsFinite(values[j]))
                throw new DataFormatException($"{source}, line {lineNumber}, column {j + 1}: {fields[j].Trim()} is not finite.");
        }
        return values;
    }
}
