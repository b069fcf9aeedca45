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
        var header = new JsonObject { ["__metadata__"] = new JsonObject(metadata.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))) };
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
        if (file.Length < 8) throw new ModelFormatException($"The file has {file.Length} bytes, fewer than the 8 of the header length.");
        ulong headerLength = BinaryPrimitives.ReadUInt64LittleEndian(file);
        if (headerLength > (ulong)(file.Length - 8))
            throw new ModelFormatException($"The header length {headerLength} exceeds the {file.Length - 8} bytes after it: the file is truncated or not safetensors.");
        if (headerLength > MaxHeaderBytes)
            throw new ModelFormatException($"The header length {headerLength} exceeds the limit of {MaxHeaderBytes} bytes.");
        var data = file[(8 + (int)headerLength)..];
        if (!System.Text.Unicode.Utf8.IsValid(file.Slice(8, (int)headerLength)))
            throw new ModelFormatException("The header is not valid UTF-8.");
        JsonObject header;
        try
        {
            header = JsonNode.Parse(file.Slice(8, (int)headerLength), documentOptions: new JsonDocumentOptions { MaxDepth = 16, AllowDuplicateProperties = false }) as JsonObject
                     ?? throw new ModelFormatException("The header is not a JSON object.");
        }
        catch (Exception e) when (e is JsonException or ArgumentException or InvalidOperationException)
        {
            throw new ModelFormatException($"The header is not valid JSON: {e.Message}", e);
        }
        try
        {
            return Interpret(header, data);
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException or ArgumentException)
        {
            // The document was parsed whole above, but System.Text.Json decodes strings lazily: an invalid escape (a lone
            // surrogate) surfaces only here.
            throw new ModelFormatException($"The header is not valid: {e.Message}", e);
        }
    }

    private static (IReadOnlyList<Tensor> Tensors, IReadOnlyDictionary<string, string> Metadata) Interpret(JsonObject header, ReadOnlySpan<byte> data)
    {
        var metadata = new Dictionary<string, string>();
        var tensors = new List<Tensor>();
        var spans = new List<(long Begin, long End, string Name)>();
        foreach (var (name, node) in header)
        {
            if (name == "__metadata__")
            {
                if (node is not JsonObject entries) throw new ModelFormatException("__metadata__ must be an object of strings.");
                foreach (var (key, value) in entries)
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
                if (elements > data.Length / 8)
                    throw new ModelFormatException($"Tensor '{name}' declares shape [{string.Join(", ", shape)}], larger than the {data.Length} data bytes of the file.");
            }
            if (offsets[0] < 0 || offsets[1] < offsets[0] || offsets[1] > data.Length)
                throw new ModelFormatException($"Tensor '{name}' has data_offsets [{offsets[0]}, {offsets[1]}] outside the {data.Length} data bytes.");
            if (offsets[1] - offsets[0] != 8 * elements)
                throw new ModelFormatException($"Tensor '{name}' has shape [{string.Join(", ", shape)}] ({8 * elements} bytes of F64) but data_offsets span {offsets[1] - offsets[0]} bytes.");
            spans.Add((offsets[0], offsets[1], name));
            var values = new double[elements];
            var bytes = data.Slice((int)offsets[0], (int)(8 * elements));
            for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadDoubleLittleEndian(bytes[(8 * i)..]);
            tensors.Add(new Tensor(name, shape, values));
        }
        spans.Sort();
        for (int i = 1; i < spans.Count; i++)
            if (spans[i].Begin < spans[i - 1].End)
                throw new ModelFormatException($"Tensors '{spans[i - 1].Name}' and '{spans[i].Name}' overlap in the data.");
        return (tensors, metadata);
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
