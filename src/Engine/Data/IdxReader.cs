using System.Buffers.Binary;
using System.IO.Compression;

namespace Engine.Data;

/// <summary>
/// Reads IDX files, the format of MNIST and Fashion-MNIST: two zero bytes, a type code, the number of dimensions, each
/// dimension as a big-endian 32-bit integer, then the values big-endian. Gzip'd files (ending in <c>.gz</c>) are decompressed.
/// </summary>
public static class IdxReader
{
    /// <summary>Reads an IDX file into its dimensions and values.</summary>
    /// <param name="path">The file.</param>
    public static (int[] Dimensions, double[] Values) ReadFile(string path)
    {
        using Stream file = File.OpenRead(path);
        using Stream stream = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) ? new GZipStream(file, CompressionMode.Decompress) : file;
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        return Read(memory.GetBuffer().AsSpan(0, (int)memory.Length), Path.GetFileName(path));
    }

    /// <summary>Reads IDX bytes. The declared size is checked against the bytes present before anything is allocated.</summary>
    /// <param name="bytes">The file's contents.</param>
    /// <param name="source">Name used in error messages.</param>
    /// <exception cref="DataFormatException">The header or the size is wrong; the message gives the byte offset.</exception>
    public static (int[] Dimensions, double[] Values) Read(ReadOnlySpan<byte> bytes, string source = "input")
    {
        if (bytes.Length < 4) throw new DataFormatException($"{source}: {bytes.Length} bytes, too short for the 4-byte IDX magic number.");
        if (bytes[0] != 0 || bytes[1] != 0)
            throw new DataFormatException($"{source}, byte 0: the magic number must start with two zero bytes, but starts with {bytes[0]:X2} {bytes[1]:X2}.");
        int size = bytes[2] switch
        {
            0x08 or 0x09 => 1,
            0x0B => 2,
            0x0C or 0x0D => 4,
            0x0E => 8,
            _ => throw new DataFormatException($"{source}, byte 2: unknown IDX type code 0x{bytes[2]:X2}."),
        };
        int rank = bytes[3];
        if (rank == 0) throw new DataFormatException($"{source}, byte 3: an IDX file needs at least one dimension.");
        int header = 4 + 4 * rank;
        if (bytes.Length < header) throw new DataFormatException($"{source}: {bytes.Length} bytes, too short for the {rank} dimensions the header declares.");
        var dimensions = new int[rank];
        long count = 1;
        for (int d = 0; d < rank; d++)
        {
            dimensions[d] = BinaryPrimitives.ReadInt32BigEndian(bytes[(4 + 4 * d)..]);
            if (dimensions[d] < 0) throw new DataFormatException($"{source}, byte {4 + 4 * d}: dimension {d} is negative ({dimensions[d]}).");
            count *= dimensions[d];
            if (count * size > bytes.Length - header)
                throw new DataFormatException($"{source}: the header declares [{string.Join(", ", dimensions[..(d + 1)])}…] values of {size} bytes, more than the {bytes.Length - header} bytes after it.");
        }
        if (count * size != bytes.Length - header)
            throw new DataFormatException($"{source}: the header declares {count} values ({count * size} bytes) but {bytes.Length - header} bytes follow it.");
        var values = new double[count];
        var data = bytes[header..];
        for (int i = 0; i < values.Length; i++)
            values[i] = bytes[2] switch
            {
                0x08 => data[i],
                0x09 => (sbyte)data[i],
                0x0B => BinaryPrimitives.ReadInt16BigEndian(data[(2 * i)..]),
                0x0C => BinaryPrimitives.ReadInt32BigEndian(data[(4 * i)..]),
                0x0D => BinaryPrimitives.ReadSingleBigEndian(data[(4 * i)..]),
                _ => BinaryPrimitives.ReadDoubleBigEndian(data[(8 * i)..]),
            };
        return (dimensions, values);
    }

    /// <summary>An images file and its labels file as a dataset: each image flattened to one row, the label as the target.</summary>
    /// <param name="imagesPath">E.g. <c>train-images-idx3-ubyte.gz</c>.</param>
    /// <param name="labelsPath">E.g. <c>train-labels-idx1-ubyte.gz</c>.</param>
    public static Dataset ReadDataset(string imagesPath, string labelsPath)
    {
        var (imageDimensions, pixels) = ReadFile(imagesPath);
        var (labelDimensions, labels) = ReadFile(labelsPath);
        if (labelDimensions.Length != 1)
            throw new DataFormatException($"{Path.GetFileName(labelsPath)}: labels must be one-dimensional, but have {labelDimensions.Length} dimensions.");
        if (imageDimensions[0] != labelDimensions[0])
            throw new DataFormatException($"{Path.GetFileName(imagesPath)} has {imageDimensions[0]} images but {Path.GetFileName(labelsPath)} has {labelDimensions[0]} labels.");
        int features = imageDimensions[0] == 0 ? 1 : pixels.Length / imageDimensions[0];
        return new Dataset(pixels, Math.Max(features, 1), labels, 1);
    }
}
