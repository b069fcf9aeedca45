using System.Buffers;
using System.Globalization;
using System.Text;

namespace Engine.Data;

/// <summary>Whether the first record of a CSV file is a header.</summary>
public enum CsvHeader
{
    /// <summary>
    /// Decided by the rule of <see cref="CsvReader"/>: a header when none of its cells is a number, or when it is
    /// scikit-learn's line <c>rows,features,class names…</c> that matches the data; otherwise a data row.
    /// </summary>
    Auto,

    /// <summary>The first record names the columns.</summary>
    Present,

    /// <summary>Every record is data.</summary>
    Absent,
}

/// <summary>How a CSV file is read.</summary>
public sealed record CsvOptions
{
    /// <summary>The field separator: a comma by default; any character but a quote, CR or LF.</summary>
    public char Delimiter { get; init; } = ',';

    /// <summary>Whether the first record is a header.</summary>
    public CsvHeader Header { get; init; } = CsvHeader.Auto;

    /// <summary>
    /// The label column: null for the last column; a 1-based column number (<c>"1"</c>); or a name from the header. Ignored when
    /// <see cref="Labelled"/> is false.
    /// </summary>
    public string? LabelColumn { get; init; }

    /// <summary>False when the rows have no label column (rows to predict): every column is a feature.</summary>
    public bool Labelled { get; init; } = true;

    /// <summary>The most bytes read after decompression, and the most bytes of values held (8 per value).</summary>
    public long Limit { get; init; } = DataFile.DefaultLimit;
}

/// <summary>A cell that is not a number, with whether it is in the first record (which might be an undeclared header).</summary>
/// <param name="message">What is wrong, and where.</param>
/// <param name="line">The line of the record.</param>
/// <param name="inFirstRecord">Whether the record is the file's first.</param>
public sealed class CsvCellException(string message, int line, bool inFirstRecord) : DataFormatException(message)
{
    /// <summary>The line of the record.</summary>
    public int Line { get; } = line;

    /// <summary>Whether the record is the file's first, so a header may have been meant.</summary>
    public bool InFirstRecord { get; } = inFirstRecord;
}

/// <summary>
/// Reads CSV (RFC 4180) into a <see cref="DataTable"/>: numeric features and one label cell per row.
/// <list type="bullet">
/// <item>Fields are separated by <see cref="CsvOptions.Delimiter"/>; records end at CRLF, LF or CR. A field in double quotes may
/// hold the delimiter, line breaks and doubled quotes (<c>""</c>); a quote inside an unquoted field, text after a closing quote
/// and a quote left open are errors. Spaces around an unquoted field are dropped.</item>
/// <item>Blank lines are skipped, but counted: every message names the physical line (and column) where its record starts.</item>
/// <item>Every data row has the first data row's number of fields. Every feature must be a finite number (invariant culture);
/// the label cell is kept as written, for the task to interpret (<see cref="Classes"/> or <see cref="DataTable.Numeric"/>).</item>
/// <item>The header rule (<see cref="CsvHeader.Auto"/>): the first record is a header when none of its cells is a number, or
/// when it is scikit-learn's line <c>rows,features,class names…</c> whose counts match the rows and features that follow (its
/// names become the class names of labels 0..K−1). Otherwise it is data, and a cell in it that is not a number is an error
/// (<see cref="CsvCellException.InFirstRecord"/>): a data row is never taken for a header.</item>
/// <item>A file's text is UTF-8 unless a byte-order mark names UTF-16 or UTF-32.</item>
/// <item>A gzip'd file is decompressed (<see cref="DataFile"/>); no more than <see cref="CsvOptions.Limit"/> bytes are read,
/// and no more values held than the limit has room for (8 bytes each); a record longer than <see cref="MaxRecordLength"/>
/// characters is an error.</item>
/// </list>
/// </summary>
public static class CsvReader
{
    /// <summary>The longest record accepted, in characters (16 Mi).</summary>
    public const int MaxRecordLength = 1 << 24;

    /// <summary>Reads a CSV file, gzip'd or not.</summary>
    /// <param name="path">The file.</param>
    /// <param name="options">How to read it (default: <see cref="CsvOptions"/>'s defaults).</param>
    /// <exception cref="DataFormatException">The file is malformed; the message names it and the line and column.</exception>
    public static DataTable ReadFile(string path, CsvOptions? options = null)
    {
        options ??= new CsvOptions();
        using var stream = DataFile.Open(path, options.Limit);
        using var reader = new StreamReader(stream, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        return Read(reader, options, Path.GetFileName(path));
    }

    /// <summary>Reads CSV text.</summary>
    /// <param name="reader">The text.</param>
    /// <param name="options">How to read it (default: <see cref="CsvOptions"/>'s defaults).</param>
    /// <param name="source">The name used in messages.</param>
    /// <exception cref="DataFormatException">The text is malformed; the message names the line and column.</exception>
    public static DataTable Read(TextReader reader, CsvOptions? options = null, string source = "input")
    {
        ArgumentNullException.ThrowIfNull(reader);
        options ??= new CsvOptions();
        if (options.Delimiter is '"' or '\r' or '\n')
            throw new ArgumentException($"The delimiter cannot be a quote or a line break, but is {(int)options.Delimiter:X2}.", nameof(options));
        var records = new Records(reader, options.Delimiter, source);
        if (!records.Next()) throw new DataFormatException($"{source}: no data rows (the file is empty).");
        int firstLine = records.Line;
        var first = records.Cells();
        // A header is certain when declared or when no cell is a number; scikit-learn's line is confirmed by the data's counts.
        bool header = options.Header == CsvHeader.Present || options.Header == CsvHeader.Auto && !first.Any(IsNumber);
        bool descriptor = options.Header == CsvHeader.Auto && !header && options.Labelled && IsDescriptorShape(first);
        var builder = new TableBuilder(source, options);
        if (header) builder.UseHeader(first);
        else if (!descriptor) builder.Add(first, firstLine, firstRecord: true);
        while (records.Next()) builder.Add(records.Cells(), records.Line, firstRecord: false);
        if (!descriptor) return builder.Build(header ? first : null, null);
        if (builder.MatchesDescriptor(first)) return builder.Build(null, first.Skip(2).ToArray());
        // Not scikit-learn's line after all, so the first record is data: its cells that are not numbers are the error.
        new TableBuilder(source, options).Add(first, firstLine, firstRecord: true);
        throw new DataFormatException($"{source}, line {firstLine}: the first record is neither a header nor a data row.");
    }

    private static bool IsNumber(string cell) => double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out _);

    private static bool IsDescriptorShape(string[] cells) =>
        cells.Length >= 4 && int.TryParse(cells[0], NumberStyles.None, CultureInfo.InvariantCulture, out _)
                          && int.TryParse(cells[1], NumberStyles.None, CultureInfo.InvariantCulture, out _)
                          && cells.Skip(2).All(c => c.Length > 0 && !IsNumber(c));

    /// <summary>Collects data rows: features into chunks, label cells, lines; checks widths and the value limit.</summary>
    private sealed class TableBuilder(string source, CsvOptions options)
    {
        private const int ChunkSize = 1 << 16;
        private readonly List<double[]> chunks = [];
        private readonly List<string> labels = [];
        private readonly List<int> lines = [];
        private long values, held;
        private readonly Dictionary<string, string> distinctLabels = new(StringComparer.Ordinal);
        private int width = -1, firstDataLine, labelIndex = -1;
        private string[]? header;

        public void Add(string[] cells, int line, bool firstRecord)
        {
            if (width < 0)
            {
                width = cells.Length;
                firstDataLine = line;
                labelIndex = options.Labelled ? ResolveLabel(width) : -1;
                if (options.Labelled && width < 2)
                    throw new DataFormatException($"{source}, line {line}: a row needs at least one feature and a label, but has {width} field; is '{(options.Delimiter == '\t' ? "tab" : options.Delimiter.ToString())}' the file's delimiter?");
            }
            else if (cells.Length != width)
                throw new DataFormatException($"{source}, line {line}: {cells.Length} fields, but the first data row (line {firstDataLine}) has {width}.");
            for (int j = 0; j < cells.Length; j++)
            {
                if (j == labelIndex)
                {
                    if (cells[j].Length == 0) throw new CsvCellException($"{source}, line {line}, column {j + 1}{Named(j)}: the label is empty.", line, firstRecord);
                    continue;
                }
                if (!double.TryParse(cells[j], NumberStyles.Float, CultureInfo.InvariantCulture, out double value))
                    throw new CsvCellException($"{source}, line {line}, column {j + 1}{Named(j)}: " +
                                               (cells[j].Length == 0 ? "the cell is empty" : $"'{Shorten(cells[j])}' is not a number") + ".", line, firstRecord);
                if (!double.IsFinite(value))
                    throw new CsvCellException($"{source}, line {line}, column {j + 1}{Named(j)}: {cells[j]} is not finite.", line, firstRecord);
                Append(value);
            }
            // Each row keeps a label reference and a line number (24 bytes, counting the lists' growth); each distinct label
            // its string once.
            Hold(24);
            if (labelIndex >= 0)
            {
                if (!distinctLabels.TryGetValue(cells[labelIndex], out var label))
                {
                    Hold(32 + 2L * cells[labelIndex].Length);
                    distinctLabels.Add(label = cells[labelIndex], label);
                }
                labels.Add(label);
            }
            lines.Add(line);
        }

        /// <summary>With a header, the header to resolve label names against (set before the first row is added).</summary>
        public void UseHeader(string[] names) => header = names;

        private void Append(double value)
        {
            Hold(sizeof(double));
            long index = values++;
            if (index % ChunkSize == 0) chunks.Add(new double[ChunkSize]);
            chunks[^1][index % ChunkSize] = value;
        }

        /// <summary>Counts memory the rows will hold against the limit.</summary>
        private void Hold(long bytes)
        {
            held += bytes;
            if (held > options.Limit)
                throw DataFile.Exceeded(source, options.Limit, "needs more memory for its rows (8 bytes a value, 24 a row)");
        }

        private string Named(int column) => header is not null && column < header.Length ? $" ('{header[column]}')" : "";

        private int ResolveLabel(int columns)
        {
            string? chosen = options.LabelColumn;
            if (chosen is null) return columns - 1;
            if (int.TryParse(chosen, NumberStyles.None, CultureInfo.InvariantCulture, out int number))
                return number >= 1 && number <= columns ? number - 1
                    : throw new DataFormatException($"{source}: the label column {number} does not exist; the rows have {columns} columns.");
            if (header is null)
                throw new DataFormatException($"{source}: the label column '{chosen}' is a name, but the file has no header to find it in.");
            int index = Array.IndexOf(header, chosen);
            return index >= 0 ? index
                : throw new DataFormatException($"{source}: no column is named '{chosen}'; the header names {string.Join(", ", header.Take(20).Select(h => $"'{h}'"))}{(header.Length > 20 ? ", …" : "")}.");
        }

        /// <summary>Whether scikit-learn's line <c>rows,features,names…</c> matches the rows read.</summary>
        public bool MatchesDescriptor(string[] first) =>
            options.Labelled && width >= 2 && labelIndex == width - 1
            && int.Parse(first[0], CultureInfo.InvariantCulture) == lines.Count && int.Parse(first[1], CultureInfo.InvariantCulture) == width - 1;

        public DataTable Build(string[]? headerCells, IReadOnlyList<string>? classNames)
        {
            if (lines.Count == 0) throw new DataFormatException($"{source}: no data rows{(headerCells is not null ? " after the header" : "")}.");
            if (headerCells is not null && headerCells.Length != width)
                throw new DataFormatException($"{source}: the header has {headerCells.Length} names, but the first data row (line {firstDataLine}) has {width} fields.");
            int featureCount = options.Labelled ? width - 1 : width;
            var features = new double[values];
            for (int c = 0; c < chunks.Count; c++)
            {
                int length = (int)Math.Min(ChunkSize, values - (long)c * ChunkSize);
                Array.Copy(chunks[c], 0, features, (long)c * ChunkSize, length);
                chunks[c] = [];
            }
            return new DataTable(source, features, featureCount, options.Labelled ? labels.ToArray() : null, lines.ToArray(), "line",
                headerCells?.Where((_, j) => j != labelIndex).ToArray(), headerCells is not null && labelIndex >= 0 ? headerCells[labelIndex] : null, classNames);
        }

        private static string Shorten(string cell) => cell.Length <= 40 ? cell : cell[..40] + "…";
    }

    /// <summary>Splits text into records of cells (RFC 4180), tracking the line each record starts on.</summary>
    private sealed class Records(TextReader reader, char delimiter, string source)
    {
        private readonly char[] buffer = new char[1 << 16];
        private readonly StringBuilder cell = new();
        private readonly List<string> cells = [];
        private readonly SearchValues<char> stops = SearchValues.Create([delimiter, '\r', '\n', '"']);
        private int position, filled, line = 1, recordLength;

        /// <summary>The line the current record starts on.</summary>
        public int Line { get; private set; }

        /// <summary>The current record's cells.</summary>
        public string[] Cells() => cells.ToArray();

        /// <summary>Moves to the next record that is not blank; false at the end.</summary>
        public bool Next()
        {
            while (true)
            {
                SkipLineBreaks();
                if (Peek() < 0) return false;
                Line = line;
                cells.Clear();
                recordLength = 0;
                bool quotedAny = ReadRecord();
                if (quotedAny || cells.Count > 1 || cells[0].Length > 0) return true;
            }
        }

        /// <summary>Reads one record; true when any of its fields was quoted.</summary>
        private bool ReadRecord()
        {
            bool quotedAny = false;
            while (true)
            {
                cell.Clear();
                bool quoted = false;
                int c = Peek();
                if (c == '"')
                {
                    quoted = quotedAny = true;
                    ReadQuoted();
                }
                else
                {
                    // The field runs to the next delimiter or line break: copied a buffer's span at a time.
                    while (position < filled || Fill())
                    {
                        var rest = buffer.AsSpan(position, filled - position);
                        int stop = rest.IndexOfAny(stops);
                        Append(stop < 0 ? rest : rest[..stop]);
                        position += stop < 0 ? rest.Length : stop;
                        if (stop < 0) continue;
                        if (buffer[position] == '"')
                            throw new DataFormatException($"{source}, line {line}, column {cells.Count + 1}: a quote inside an unquoted field; " +
                                                          "quote the whole field and double each quote inside it (RFC 4180).");
                        break;
                    }
                }
                cells.Add(quoted ? cell.ToString() : cell.ToString().Trim(' ', '\t'));
                c = Read();
                if (c == delimiter) continue;
                if (c == '\r' && Peek() == '\n') Read();
                if (c is '\r' or '\n') line++;
                return quotedAny;
            }
        }

        private void ReadQuoted()
        {
            int openLine = line, column = cells.Count + 1;
            Read();
            while (true)
            {
                int c = Read();
                if (c < 0) throw new DataFormatException($"{source}, line {openLine}, column {column}: a quoted field is never closed.");
                if (c == '"')
                {
                    if (Peek() == '"') { Read(); Append('"'); continue; }
                    while (Peek() is ' ' or '\t' && delimiter is not (' ' or '\t')) Read();
                    int next = Peek();
                    if (next >= 0 && next != delimiter && next != '\r' && next != '\n')
                        throw new DataFormatException($"{source}, line {line}, column {column}: text after the closing quote of a quoted field.");
                    return;
                }
                if (c == '\n' || c == '\r' && Peek() != '\n') line++;
                Append((char)c);
            }
        }

        private void Append(char c) => Append([c]);

        private void Append(ReadOnlySpan<char> text)
        {
            recordLength += text.Length;
            if (recordLength > MaxRecordLength)
                throw new DataFormatException($"{source}, line {Line}: the record is longer than {MaxRecordLength} characters.");
            cell.Append(text);
        }

        /// <summary>Skips blank lines (line breaks alone) a buffer at a time, counting them: CRLF, LF and a lone CR each end one line.</summary>
        private void SkipLineBreaks()
        {
            while (position < filled || Fill())
            {
                var rest = buffer.AsSpan(position, filled - position);
                int other = rest.IndexOfAnyExcept('\r', '\n');
                int end = other < 0 ? rest.Length : other;
                if (other < 0 && rest[end - 1] == '\r')
                {
                    // A CR at the end of what was read may be half of a CRLF: decide once more text has come.
                    if (end == 1)
                    {
                        if (Fill()) continue;
                        line++;
                        position = filled;
                        return;
                    }
                    end--;
                }
                var breaks = rest[..end];
                int count = breaks.Count('\n');
                for (int i = 0; i < breaks.Length; i++)
                    if (breaks[i] == '\r' && (i + 1 == breaks.Length || breaks[i + 1] != '\n')) count++;
                line += count;
                position += end;
                if (other >= 0) return;
            }
        }

        private int Peek()
        {
            if (position == filled && !Fill()) return -1;
            return buffer[position];
        }

        private int Read()
        {
            if (position == filled && !Fill()) return -1;
            return buffer[position++];
        }

        /// <summary>Reads more text after the unread part, which moves to the buffer's start; false when nothing more came.</summary>
        private bool Fill()
        {
            int left = filled - position;
            buffer.AsSpan(position, left).CopyTo(buffer);
            int read = reader.Read(buffer, left, buffer.Length - left);
            (position, filled) = (0, left + read);
            return read > 0;
        }
    }
}
