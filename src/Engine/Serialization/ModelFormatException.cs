namespace Engine.Serialization;

/// <summary>A model file is truncated, corrupted or not a model of this engine; the message says what is wrong and where.</summary>
public sealed class ModelFormatException : Exception
{
    /// <summary>Describes the problem.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="inner">The underlying error, if any.</param>
    public ModelFormatException(string message, Exception? inner = null) : base(message, inner) { }
}
