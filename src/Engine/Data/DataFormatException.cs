namespace Engine.Data;

/// <summary>Thrown for malformed input data; the message names the source and the position (line and column, or byte offset).</summary>
public class DataFormatException : FormatException
{
    /// <summary>Describes the problem.</summary>
    /// <param name="message">What is wrong, and where.</param>
    public DataFormatException(string message) : base(message) { }

    /// <summary>Describes the problem and keeps its cause.</summary>
    /// <param name="message">What is wrong, and where.</param>
    /// <param name="inner">The cause.</param>
    public DataFormatException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// Thrown when input exceeds the reader's limit (<see cref="DataFile.DefaultLimit"/> unless chosen): more bytes after
/// decompression, or more values to hold, than the limit allows. It guards against decompression bombs and files that would
/// exhaust memory; the message names the source and the limit.
/// </summary>
/// <param name="message">What exceeded the limit.</param>
/// <param name="limit">The limit in bytes.</param>
public sealed class DataLimitException(string message, long limit) : DataFormatException(message)
{
    /// <summary>The limit that was exceeded, in bytes.</summary>
    public long Limit { get; } = limit;
}
