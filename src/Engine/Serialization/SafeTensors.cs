using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Engine.Serialization;

/// <summary>One float64 tensor: its name, shape and row-major values.</summary>
/// <param name="Name">The tensor's key in the file.</param>
/// <param name="Shape">Its dimensions.</param>
/// <param name="Values">Its values, row-major.</param>
public sealed record Tensor(string Name, int[] Shape, double[] Values);

/// <summary>A tensor as a safetensors header declares it: its name, shape, and byte range in the data section.</summary>
/// <param name="Name">The tensor's key.</param>
/// <param name="Shape">Its dimensions.</param>
/// <param name="Begin">The offset of its first byte in the data section.</param>
/// <param name="End">The offset after its last byte.</param>
public sealed record TensorEntry(string Name, int[] Shape, long Begin, long End)
{
    /// <summary>Number of F64 values.</summary>
    public int Count => (int)((End - Begin) / 8);
}

/// <summary>A validated safetensors header: the tensors' entries in header order, the metadata, and where the data section lies.</summary>
/// <param name="Entries">Every tensor's entry.</param>
/// <param name="Metadata">The <c>__metadata__</c> strings.</param>
/// <param name="DataStart">The data section's offset in the file.</param>
/// <param name="DataLength">The data section's length.</param>
public sealed record SafeTensorsHeader(IReadOnlyList<TensorEntry> Entries, IReadOnlyDictionary<string, string> Metadata, long DataStart, long DataLength);

/// <summary>
/// The safetensors format (as PyTorch and other readers load it): an 8-byte little-endian header length N, a JSON header of N bytes
/// mapping each tensor name to <c>{"dtype", "shape", "data_offsets": [begin, end]}</c> (offsets into the data that follows) plus a
/// string-to-string <c>__metadata__</c>, then the little-endian data. This engine writes and reads only dtype F64.
/// </summary>
public static class SafeTensors
{
    /// <summary>The largest header accepted (16 MiB), so a hostile length cannot make the reader allocate more.</summary>
    public const long MaxHeaderBytes = 16 << 20;

    /// <summary>Writes tensors and metadata to <paramref name="stream"/>.</summary>
    /// <param name="stream">The destination.</param>
    /// <param name="tensors">The tensors, in order.</param>
    /// <param name="metadata">String metadata.</param>
    public static void Write(Stream stream, IReadOnlyList<Tensor> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        // Metadata in key order, so that the same model always gives the same bytes.
        var header = new JsonObject { ["__metadata__"] = new JsonObject(metadata.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))) };
        long offset = 0;
        foreach (var tensor in tensors)
        {
            long bytes = 8L * tensor.Values.Length;
            header[tensor.Name] = new JsonObject
            {
                ["dtype"] = "F64",
                ["shape"] = new JsonArray(tensor.Shape.Select(d => (JsonNode?)d).ToArray()),
                ["data_offsets"] = new JsonArray(offset, offset + bytes),
            };
            offset += bytes;
        }
        var json = Encoding.UTF8.GetBytes(header.ToJsonString());
        // The format pads the header with spaces to a multiple of 8 so that the data is aligned.
        int padded = (json.Length + 7) / 8 * 8;
        Span<byte> length = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)padded);
        stream.Write(length);
        stream.Write(json);
        for (int i = json.Length; i < padded; i++) stream.WriteByte((byte)' ');
        var buffer = new byte[8 * 1024];
        foreach (var tensor in tensors)
            for (int start = 0; start < tensor.Values.Length; start += buffer.Length / 8)
            {
                int count = Math.Min(buffer.Length / 8, tensor.Values.Length - start);
                for (int i = 0; i < count; i++) BinaryPrimitives.WriteDoubleLittleEndian(buffer.AsSpan(8 * i), tensor.Values[start + i]);
                stream.Write(buffer, 0, 8 * count);
            }
    }

    /// <summary>
    /// Reads a whole file's bytes. Every length, offset and shape is validated against the file's size before anything is
    /// allocated for it, so a truncated or hostile file gives a <see cref="ModelFormatException"/>, never a huge allocation.
    /// </summary>
    /// <param name="file">The file's contents.</param>
    /// <returns>The tensors in file order and the metadata.</returns>
    public static (IReadOnlyList<Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata) Read(ReadOnlySpan<byte> file)
    {
        using var stream = new MemoryStream(file.ToArray(), writable: false);
        var header = ReadHeader(stream);
        var tensors = header.Entries.Select(entry =>
        {
            var values = new double[entry.Count];
            ReadValues(stream, header, entry, values);
            return new Tensor(entry.Name, entry.Shape, values);
        }).ToList();
        return (tensors, header.Metadata);
    }

    /// <summary>
    /// Reads and validates the header of a safetensors stream without reading any tensor's values: the header's length against the
    /// stream's and <see cref="MaxHeaderBytes"/>, its JSON, and every tensor's dtype, shape and data offsets against the data that
    /// follows; the tensors must not overlap and must cover the data exactly, so the file holds nothing but what it declares.
    /// </summary>
    /// <param name="stream">A readable, seekable stream at the file's start.</param>
    /// <exception cref="ModelFormatException">The header or a tensor's entry is invalid; the message says which and why.</exception>
    public static SafeTensorsHeader ReadHeader(Stream stream)
    {
        long length = stream.Length;
        if (length < 8) throw new ModelFormatException($"The file has {length} bytes, fewer than the 8 of the header length.");
        Span<byte> prefix = stackalloc byte[8];
        stream.ReadExactly(prefix);
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (headerLength > (ulong)(length - 8))
            throw new ModelFormatException($"The header length {headerLength} exceeds the {length - 8} bytes after it: the file is truncated or not safetensors.");
        if (headerLength > MaxHeaderBytes)
            throw new ModelFormatException($"The header length {headerLength} exceeds the limit of {MaxHeaderBytes} bytes.");
        var json = new byte[headerLength];
        stream.ReadExactly(json);
        if (!System.Text.Unicode.Utf8.IsValid(json))
            throw new ModelFormatException("The header is not valid UTF-8.");
        JsonObject header;
        try
        {
            header = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { MaxDepth = 16, AllowDuplicateProperties = false }) as JsonObject
                     ?? throw new ModelFormatException("The header is not a JSON object.");
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            throw new ModelFormatException($"The header is not valid JSON: {e.Message}", e);
        }
        try
        {
            return Interpret(header, 8 + (long)headerLength, length - 8 - (long)headerLength);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException)
        {
            // The document was parsed whole above, but System.Text.Json decodes strings lazily: an invalid escape (a lone
            // surrogate) surfaces only here.
            throw new ModelFormatException($"The header is not valid: {e.Message}", e);
        }
    }

    /// <summary>Reads one tensor's values (little-endian F64) from the stream its header was read from.</summary>
    /// <param name="stream">The same seekable stream.</param>
    /// <param name="header">Its header.</param>
    /// <param name="entry">One of <see cref="SafeTensorsHeader.Entries"/>.</param>
    /// <param name="destination">Exactly <see cref="TensorEntry.Count"/> values.</param>
    public static void ReadValues(Stream stream, SafeTensorsHeader header, TensorEntry entry, Span<double> destination)
    {
        if (destination.Length != entry.Count)
            throw new ArgumentException($"destination must hold the {entry.Count} values of '{entry.Name}', but holds {destination.Length}.", nameof(destination));
        stream.Position = header.DataStart + entry.Begin;
        var buffer = new byte[8 * 1024];
        for (int start = 0; start < destination.Length; start += buffer.Length / 8)
        {
            int count = Math.Min(buffer.Length / 8, destination.Length - start);
            stream.ReadExactly(buffer, 0, 8 * count);
            for (int i = 0; i < count; i++) destination[start + i] = BinaryPrimitives.ReadDoubleLittleEndian(buffer.AsSpan(8 * i));
        }
    }

    private static SafeTensorsHeader Interpret(JsonObject header, long dataStart, long dataLength)
    {
        var metadata = new Dictionary<string, string>();
        var entries = new List<TensorEntry>();
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__")
            {
                if (node is not JsonObject items) throw new ModelFormatException("__metadata__ must be an object of strings.");
                foreach (var (key, value) in items)
                    metadata[key] = value is JsonValue v && v.TryGetValue(out string? text)
                        ? text : throw new ModelFormatException($"__metadata__[\"{key}\"] must be a string.");
                continue;
            }
            if (node is not JsonObject entry) throw new ModelFormatException($"Tensor '{name}' must be described by an object.");
            string dtype = entry["dtype"] is JsonValue d && d.TryGetValue(out string? t) ? t : "missing";
            if (dtype != "F64") throw new ModelFormatException($"Tensor '{name}' has dtype {dtype}; this engine reads only F64.");
            var shape = ReadInts(entry["shape"], name, "shape", int.MaxValue);
            var offsets = ReadLongs(entry["data_offsets"], name);
            long elements = 1;
            foreach (int dimension in shape)
            {
                elements *= dimension;
                if (elements > dataLength / 8)
                    throw new ModelFormatException($"Tensor '{name}' declares shape [{string.Join(", ", shape)}], larger than the {dataLength} data bytes of the file.");
            }
            if (elements > Array.MaxLength)
                throw new ModelFormatException($"Tensor '{name}' declares shape [{string.Join(", ", shape)}], more values than one array can hold ({Array.MaxLength}).");
            if (offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > dataLength)
                throw new ModelFormatException($"Tensor '{name}' has data_offsets [{offsets[0]}, {offsets[1]}] outside the {dataLength} data bytes.");
            if (offsets[1] - offsets[0] != 8 * elements)
                throw new ModelFormatException($"Tensor '{name}' has shape [{string.Join(", ", shape)}] ({8 * elements} bytes of F64) but data_offsets span {offsets[1] - offsets[0]} bytes.");
            entries.Add(new TensorEntry(name, shape, offsets[0], offsets[1]));
        }
        var spans = entries.Where(e => e.End > e.Begin).OrderBy(e => e.Begin).ToList();
        long covered = 0;
        for (int i = 0; i < spans.Count; i++)
        {
            if (i > 0 && spans[i].Begin < spans[i - 1].End)
                throw new ModelFormatException($"Tensors '{spans[i - 1].Name}' and '{spans[i].Name}' overlap in the data.");
            if (spans[i].Begin > covered)
                throw new ModelFormatException($"The data bytes [{covered}, {spans[i].Begin}) before tensor '{spans[i].Name}' belong to no tensor.");
            covered = spans[i].End;
        }
        if (covered != dataLength)
            throw new ModelFormatException($"The data has {dataLength} bytes but its tensors cover {covered}: {dataLength - covered} bytes at its end belong to no tensor.");
        return new SafeTensorsHeader(entries, metadata, dataStart, dataLength);
    }

    private static int[] ReadInts(JsonNode? node, string tensor, string field, int max)
    {
        if (node is not JsonArray array || array.Count > 8)
            throw new ModelFormatException($"Tensor '{tensor}' must have a {field} of at most 8 integers.");
        return array.Select(item => item is JsonValue v && v.TryGetValue(out int x) && x >= 0 && x <= max
            ? x : throw new ModelFormatException($"Tensor '{tensor}' has a {field} entry {item?.ToJsonString() ?? "null"} that is not a non-negative integer.")).ToArray();
    }

    private static long[] ReadLongs(JsonNode? node, string tensor)
    {
        if (node is not JsonArray { Count: 2 } array)
            throw new ModelFormatException($"Tensor '{tensor}' must have data_offsets [begin, end].");
        return array.Select(item => item is JsonValue v && v.TryGetValue(out long x)
            ? x : throw new ModelFormatException($"Tensor '{tensor}' has a data_offsets entry {item?.ToJsonString() ?? "null"} that is not an integer.")).ToArray();
    }
}
