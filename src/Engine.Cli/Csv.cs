namespace Engine.Cli;

/// <summary>Writing CSV fields as RFC 4180 reads them.</summary>
public static class Csv
{
    /// <summary>The field as written: quoted, with quotes doubled, when it holds a comma, a quote, a line break or outer spaces.</summary>
    /// <param name="text">The field's text.</param>
    public static string Field(string text) =>
        text.AsSpan().IndexOfAny(",\"\r\n") >= 0 || text.Length > 0 && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]))
            ? "\"" + text.Replace("\"", "\"\"") + "\""
            : text;
}
