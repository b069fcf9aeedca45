using System.Buffers.Binary;
using System.Globalization;

namespace Engine.Data;

/// <summary>
/// Reads IDX files, the format of MNIST and Fashion-MNIST: two zero bytes, a type code, the number of dimensions, each
/// dimension as a big-endian 32-bit integer, then the values big-endian. Gzip'd files are decompressed (<see cref="DataFile"/>).
/// The header is checked against the limit (values of 8 bytes each) and, for a plain file, against the file's length before
/// the values are allocated; the values are then read straight into their array, chunk by chunk.
/// </summary>
public static class IdxReader
{
    /// <summary>Reads an IDX file into its dimensions and values.</summary>
    /// <param name="path">The file.</param>
    /// <param name="limit">The most bytes read after decompression, and the most bytes of values held.</param>
    /// <exception cref="DataFormatException">The header, the size or the compression is wrong; the message gives the byte offset.</exception>
    public static (int[] Dimensions, double[] Values) ReadFile(string path, long limit = DataFile.DefaultLimit)
    {
        long? length = DataFile.PlainLength(path);
        using var stream = DataFile.Open(path, limit);
        return Read(stream, Path.GetFileName(path), limit, length);
    }

    /// <summary>Reads IDX bytes.</summary>
    /// <param name="bytes">The file's contents.</param>
    /// <param name="source">Name used in error messages.</param>
    /// <exception cref="DataFormatException">The header or the size is wrong; the message gives the byte offset.</exception>
    public static (int[] Dimensions, double[] Values) Read(ReadOnlySpan<byte> bytes, string source = "input")
    {
        using var stream = new MemoryStream(bytes.ToArray(), writable: false);
        return Read(stream, source, DataFile.DefaultLimit, bytes.Length);
    }

    /// <summary>Reads IDX data from a stream.</summary>
    /// <param name="stream">The data, positioned at the magic number.</param>
    /// <param name="source">Name used in error messages.</param>
    /// <param name="limit">The most bytes of values held (8 per value).</param>
    /// <param name="length">The stream's length when known (a plain file), checked against the header before allocating.</param>
    /// <exception cref="DataFormatException">The header or the size is wrong; the message gives the byte offset.</exception>
    public static (int[] Dimensions, double[] Values) Read(Stream stream, string source, long limit, long? length)
    {
        Span<byte> magic = stackalloc byte[4];
        int got = stream.ReadAtLeast(magic, 4, throwOnEndOfStream: false);
        if (got < 4) throw new DataFormatException($"{source}: {got} bytes, too short for the 4-byte IDX magic number.");
        if (magic[0] != 0 || magic[1] != 0)
            throw new DataFormatException($"{source}, byte 0: the magic number must start with two zero bytes, but starts with {magic[0]:X2} {magic[1]:X2}.");
        byte type = magic[2];
        int size = type switch
        {
            0x08 or 0x09 => 1,
            0x0B => 2,
            0x0C or 0x0D => 4,
            0x0E => 8,
            _ => throw new DataFormatException($"{source}, byte 2: unknown IDX type code 0x{type:X2}."),
        };
        int rank = magic[3];
        if (rank == 0) throw new DataFormatException($"{source}, byte 3: an IDX file needs at least one dimension.");
        int header = 4 + 4 * rank;
        var dimensionBytes = new byte[4 * rank];
        got = stream.ReadAtLeast(dimensionBytes, dimensionBytes.Length, throwOnEndOfStream: false);
        if (got < dimensionBytes.Length) throw new DataFormatException($"{source}: {4 + got} bytes, too short for the {rank} dimensions the header declares.");
        long available = length is { } known ? known - header : long.MaxValue;
        var dimensions = new int[rank];
        long count = 1;
        for (int d = 0; d < rank; d++)
        {
            dimensions[d] = BinaryPrimitives.ReadInt32BigEndian(dimensionBytes.AsSpan(4 * d));
            if (dimensions[d] < 0) throw new DataFormatException($"{source}, byte {4 + 4 * d}: dimension {d} is negative ({dimensions[d]}).");
            count *= dimensions[d];
            if (count * size > available)
                throw new DataFormatException($"{source}: the header declares [{string.Join(", ", dimensions[..(d + 1)])}…] values of {size} bytes, more than the {available} bytes after it.");
            if (count > limit / sizeof(double))
                throw DataFile.Exceeded(source, limit, $"declares [{string.Join(", ", dimensions[..(d + 1)])}…] values (8 bytes each)");
        }
        if (count > Array.MaxLength)
            throw new DataFormatException($"{source}: the header declares {count} values, more than one array can hold ({Array.MaxLength}).");
        if (length is not null && count * size != available)
            throw new DataFormatException($"{source}: the header declares {count} values ({count * size} bytes) but {available} bytes follow it.");
        var values = new double[count];
        var chunk = new byte[Math.Max(size, 1 << 16) / size * size];
        for (long start = 0; start < count;)
        {
            int wanted = (int)Math.Min(chunk.Length, (count - start) * size);
            got = stream.ReadAtLeast(chunk.AsSpan(0, wanted), wanted, throwOnEndOfStream: false);
            if (got < wanted)
                throw new DataFormatException($"{source}: the header declares {count} values ({count * size} bytes) but only {start * size + got} bytes follow it: the file is truncated.");
            Convert(type, chunk.AsSpan(0, wanted), values.AsSpan((int)start, wanted / size));
            start += wanted / size;
        }
        if (stream.ReadByte() >= 0)
            throw new DataFormatException($"{source}: more bytes follow the {count} values ({count * size} bytes) the header declares.");
        return (dimensions, values);
    }

    private static void Convert(byte type, ReadOnlySpan<byte> data, Span<double> values)
    {
        for (int i = 0; i < values.Length; i++)
            values[i] = type switch
            {
                0x08 => data[i],
                0x09 => (sbyte)data[i],
                0x0B => BinaryPrimitives.ReadInt16BigEndian(data[(2 * i)..]),
                0x0C => BinaryPrimitives.ReadInt32BigEndian(data[(4 * i)..]),
                0x0D => BinaryPrimitives.ReadSingleBigEndian(data[(4 * i)..]),
                _ => BinaryPrimitives.ReadDoubleBigEndian(data[(8 * i)..]),
            };
    }

    /// <summary>
    /// An images file and its labels file as a table: each image flattened to one row, its label (an integer) as the label cell,
    /// positions the 0-based item index in the labels file (the table's <see cref="DataTable.Source"/>).
    /// </summary>
    /// <param name="imagesPath">E.g. <c>train-images-idx3-ubyte.gz</c>.</param>
    /// <param name="labelsPath">E.g. <c>train-labels-idx1-ubyte.gz</c>.</param>
    /// <param name="limit">The most bytes read from each file after decompression, and the most bytes of values held.</param>
    /// <exception cref="DataFormatException">A file is malformed, the labels are not one-dimensional, or the counts differ.</exception>
    public static DataTable ReadDataset(string imagesPath, string labelsPath, long limit = DataFile.DefaultLimit)
    {
        string images = Path.GetFileName(imagesPath), labels = Path.GetFileName(labelsPath);
        var (labelDimensions, labelValues) = ReadFile(labelsPath, limit);
        if (labelDimensions.Length != 1)
            throw new DataFormatException($"{labels}: labels must be one-dimensional, but have {labelDimensions.Length} dimensions.");
        var (imageDimensions, pixels) = ReadFile(imagesPath, limit);
        if (imageDimensions[0] != labelDimensions[0])
            throw new DataFormatException($"{images} has {imageDimensions[0]} images but {labels} has {labelDimensions[0]} labels.");
        if (imageDimensions[0] == 0) throw new DataFormatException($"{images}: no images.");
        int features = pixels.Length / imageDimensions[0];
        if (features == 0) throw new DataFormatException($"{images}: the images have no pixels (dimensions [{string.Join(", ", imageDimensions)}]).");
        return new DataTable(labels, pixels, features, labelValues.Select(v => v.ToString(CultureInfo.InvariantCulture)).ToArray(),
            Enumerable.Range(0, imageDimensions[0]).ToArray(), "item");
    }
}
