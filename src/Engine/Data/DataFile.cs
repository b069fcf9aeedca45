using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;

namespace Engine.Data;

/// <summary>
/// Opens data files for the readers: plain, or gzip'd (recognized by gzip's magic bytes 1F 8B, whatever the name), with a limit
/// on the bytes delivered. A gzip file is checked whole: a truncated or corrupted one, or one with bytes after its end, is a
/// <see cref="DataFormatException"/> (its CRC-32 and length trailer must match what was decompressed), never silently shorter data.
/// </summary>
public static class DataFile
{
    /// <summary>
    /// The default limit: 1 GiB delivered after decompression, and 1 GiB of values held by a reader (8 bytes each). MNIST's
    /// training images are 47 MB decompressed and 376 MB as values.
    /// </summary>
    public const long DefaultLimit = 1L << 30;

    /// <summary>Opens <paramref name="path"/> for reading at most <paramref name="limit"/> bytes (after decompression).</summary>
    /// <param name="path">The file.</param>
    /// <param name="limit">The most bytes delivered; more is a <see cref="DataLimitException"/>.</param>
    /// <exception cref="DataFormatException">The file is named <c>.gz</c> but is not gzip data, or a plain file exceeds the limit.</exception>
    public static Stream Open(string path, long limit = DefaultLimit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        string source = Path.GetFileName(path);
        var file = File.OpenRead(path);
        try
        {
            Span<byte> magic = stackalloc byte[2];
            int read = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
            file.Position = 0;
            if (read == 2 && magic[0] == 0x1F && magic[1] == 0x8B) return new LimitedStream(new CheckedGzipStream(file, source), limit, source);
            if (path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
                throw new DataFormatException($"{source}: named .gz but not gzip data (it does not start with the gzip bytes 1F 8B).");
            if (file.Length > limit) throw Exceeded(source, limit, $"is {file.Length} bytes long");
            return new LimitedStream(file, limit, source);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The number of bytes <see cref="Open"/> will deliver when it is known in advance: a plain file's length; null for gzip.</summary>
    /// <param name="path">The file.</param>
    public static long? PlainLength(string path)
    {
        using var file = File.OpenRead(path);
        Span<byte> magic = stackalloc byte[2];
        return file.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1F && magic[1] == 0x8B ? null : file.Length;
    }

    /// <summary>A size for messages: 1 GiB, 64 MiB, 1500 bytes.</summary>
    /// <param name="bytes">A byte count.</param>
    public static string Describe(long bytes) =>
        bytes >= 1L << 30 && bytes % (1L << 30) == 0 ? $"{bytes >> 30} GiB"
        : bytes >= 1L << 20 && bytes % (1L << 20) == 0 ? $"{bytes >> 20} MiB"
        : bytes >= 1L << 10 && bytes % (1L << 10) == 0 ? $"{bytes >> 10} KiB"
        : $"{bytes.ToString(CultureInfo.InvariantCulture)} bytes";

    /// <summary>The exception for input beyond the limit.</summary>
    /// <param name="source">The file's name.</param>
    /// <param name="limit">The limit in bytes.</param>
    /// <param name="what">What exceeded it, as a predicate of the file: "is 5000 bytes long".</param>
    internal static DataLimitException Exceeded(string source, long limit, string what) =>
        new($"{source} {what}, beyond the input limit of {Describe(limit)}.", limit);

    /// <summary>Delivers at most a limit of bytes; reading past it throws.</summary>
    private sealed class LimitedStream(Stream inner, long limit, string source) : ForwardStream
    {
        private long delivered;

        public override int Read(Span<byte> buffer)
        {
            int read = inner.Read(buffer[..(int)Math.Min(buffer.Length, limit - delivered + 1)]);
            delivered += read;
            if (delivered > limit) throw Exceeded(source, limit, "holds more than " + Describe(limit) + " after decompression");
            return read;
        }

        public override long Position { get => delivered; set => throw new NotSupportedException(); }

        protected override void Dispose(bool disposing)
        {
            if (disposing) inner.Dispose();
            base.Dispose(disposing);
        }
    }

    /// <summary>
    /// Gzip decompression that checks the end: .NET's <see cref="GZipStream"/> returns a truncated stream's bytes without
    /// complaint and ignores bytes after the end, so the CRC-32 and length of what was decompressed are compared with the
    /// trailer in the file's last 8 bytes (RFC 1952). A file of several concatenated members fails the check.
    /// </summary>
    private sealed class CheckedGzipStream : ForwardStream
    {
        private readonly FileStream file;
        private readonly GZipStream gzip;
        private readonly string source;
        private uint crc = Crc32.Initial;
        private long decompressed;
        private bool checkedEnd;

        public CheckedGzipStream(FileStream file, string source)
        {
            this.file = file;
            this.source = source;
            gzip = new GZipStream(file, CompressionMode.Decompress, leaveOpen: true);
        }

        public override int Read(Span<byte> buffer)
        {
            int read;
            try { read = gzip.Read(buffer); }
            catch (InvalidDataException e) { throw Corrupt($"the compressed data is invalid after {decompressed} decompressed bytes ({e.Message})", e); }
            if (read > 0)
            {
                crc = Crc32.Update(crc, buffer[..read]);
                decompressed += read;
            }
            else if (buffer.Length > 0 && !checkedEnd)
            {
                checkedEnd = true;
                CheckTrailer();
            }
            return read;
        }

        private void CheckTrailer()
        {
            Span<byte> trailer = stackalloc byte[8];
            if (file.Length < 18) throw Corrupt("it is shorter than a gzip header and trailer");
            file.Position = file.Length - 8;
            file.ReadExactly(trailer);
            uint expectedCrc = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
            uint expectedSize = BinaryPrimitives.ReadUInt32LittleEndian(trailer[4..]);
            if (expectedCrc != Crc32.Final(crc) || expectedSize != (uint)decompressed)
                throw Corrupt($"the CRC-32 and length in its last 8 bytes do not match the {decompressed} bytes decompressed: it is truncated, " +
                              "corrupted, has bytes after its end, or holds several gzip members");
        }

        private DataFormatException Corrupt(string why, Exception? inner = null) =>
            inner is null ? new($"{source}: not a valid gzip file: {why}.") : new($"{source}: not a valid gzip file: {why}.", inner);

        public override long Position { get => decompressed; set => throw new NotSupportedException(); }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                gzip.Dispose();
                file.Dispose();
            }
            base.Dispose(disposing);
        }
    }

    /// <summary>A stream read once from start to end: no seeking, no writing.</summary>
    private abstract class ForwardStream : Stream
    {
        public sealed override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public abstract override int Read(Span<byte> buffer);

        public sealed override bool CanRead => true;
        public sealed override bool CanSeek => false;
        public sealed override bool CanWrite => false;
        public sealed override long Length => throw new NotSupportedException();
        public sealed override void Flush() { }
        public sealed override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public sealed override void SetLength(long value) => throw new NotSupportedException();
        public sealed override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
