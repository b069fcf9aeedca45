using System.ComponentModel;
using System.Globalization;
using Engine.Cli.Commands;
using Engine.Data;
using Spectre.Console.Cli;

namespace Engine.Cli.Inputs;

/// <summary>How CSV input is read, and how much input may be read: the options of every command that reads data.</summary>
public class CsvFormatSettings : GlobalSettings
{
    /// <summary>The header rule.</summary>
    [CommandOption("--header <RULE>")]
    [Description("auto (default): the first line is a header when none of its cells is a number (or it is scikit-learn's 'rows,features,class names' line); yes; no. CSV only.")]
    public string? Header { get; init; }

    /// <summary>The CSV delimiter.</summary>
    [CommandOption("--delimiter <CHAR>")]
    [Description("The CSV field separator: one character, or 'tab' (default: ','). Fields may be quoted as in RFC 4180. CSV only.")]
    public string? Delimiter { get; init; }

    /// <summary>The input limit.</summary>
    [CommandOption("--input-limit <SIZE>")]
    [Description("The most bytes read from one data file after decompression, and the most memory its values may take: a number with K, M or G (binary units), e.g. 256M (default: 1G).")]
    public string? InputLimit { get; init; }

    /// <summary>The CSV-only options given, by name, for the error when the data are not CSV.</summary>
    internal IEnumerable<string> CsvOptionsGiven()
    {
        if (Header is not null) yield return "--header";
        if (Delimiter is not null) yield return "--delimiter";
    }

    /// <summary>How to read feature rows without labels.</summary>
    internal DataReading FeatureReading() => new(Csv(labelled: false, labelColumn: null), [.. CsvOptionsGiven()]);

    /// <summary>The limit in bytes.</summary>
    internal long Limit() => InputLimit is null ? DataFile.DefaultLimit : ParseSize(InputLimit, "--input-limit");

    /// <summary>The CSV options these settings give; <paramref name="labelColumn"/> null for the last column.</summary>
    /// <param name="labelled">Whether rows carry a label.</param>
    /// <param name="labelColumn">The label column, or null.</param>
    internal CsvOptions Csv(bool labelled, string? labelColumn) => new()
    {
        Header = Header is null ? CsvHeader.Auto : Choices.OneOf(Header, "--header", "auto", "yes", "no") switch
        {
            "yes" => CsvHeader.Present,
            "no" => CsvHeader.Absent,
            _ => CsvHeader.Auto,
        },
        Delimiter = Delimiter switch
        {
            null => ',',
            "tab" or "\\t" => '\t',
            { Length: 1 } d when d[0] is not ('"' or '\r' or '\n') => d[0],
            _ => throw new BadInputException($"--delimiter must be one character other than a quote or a line break, or 'tab', but is '{Delimiter}'."),
        },
        Labelled = labelled,
        LabelColumn = labelColumn,
        Limit = Limit(),
    };

    /// <summary>A size such as <c>1G</c>, <c>256M</c>, <c>64K</c> or <c>1000</c> (bytes); K, M, G are powers of 1024.</summary>
    /// <param name="text">The value given.</param>
    /// <param name="option">The option.</param>
    public static long ParseSize(string text, string option)
    {
        string trimmed = text.Trim().ToUpperInvariant();
        if (trimmed.EndsWith("IB", StringComparison.Ordinal)) trimmed = trimmed[..^2];
        else if (trimmed.EndsWith('B')) trimmed = trimmed[..^1];
        int shift = trimmed.Length == 0 ? 0 : trimmed[^1] switch { 'K' => 10, 'M' => 20, 'G' => 30, _ => 0 };
        if (shift > 0) trimmed = trimmed[..^1];
        if (!long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out long number) || number <= 0 || number > long.MaxValue >> 30)
            throw new BadInputException($"{option} must be a positive size such as 1G, 256M, 64K or 1000 (bytes), but is '{text}'.");
        return number << shift;
    }
}

/// <summary>Labelled data: where it is and how its labels are found.</summary>
public class LabelledDataSettings : CsvFormatSettings
{
    /// <summary>The data.</summary>
    [CommandOption("--data <DATA>")]
    [Description("digits | iris | breast-cancer (embedded), a CSV file (.csv or .csv.gz), or an IDX images file such as MNIST's train-images-idx3-ubyte(.gz).")]
    public string? Data { get; init; }

    /// <summary>IDX labels file.</summary>
    [CommandOption("--labels <FILE>")]
    [Description("The IDX labels file of --data IDX images (default: the images file's name with 'images-idx3' replaced by 'labels-idx1').")]
    public string? Labels { get; init; }

    /// <summary>The label column.</summary>
    [CommandOption("--label-column <COLUMN>")]
    [Description("The CSV column holding the label: a 1-based number, or a name from the header (default: the last column). CSV only.")]
    public string? LabelColumn { get; init; }

    /// <summary>How to read labelled data with these options.</summary>
    internal DataReading LabelledReading() =>
        new(Csv(labelled: true, LabelColumn), [.. CsvOptionsGiven(), .. LabelColumn is null ? Array.Empty<string>() : ["--label-column"]]);
}

/// <summary>How a data option's file is read: the CSV options, and which CSV-only options were given (an error for other data).</summary>
/// <param name="Csv">The CSV options, the input limit included.</param>
/// <param name="CsvOnlyGiven">The CSV-only options on the command line, e.g. <c>--header</c>.</param>
public sealed record DataReading(CsvOptions Csv, IReadOnlyList<string> CsvOnlyGiven);
