using System.Text;
using Spectre.Console;

namespace Engine.Cli;

/// <summary>
/// Where <c>nn</c> writes. Results go to standard output and nothing else does; progress, summaries for people, warnings and
/// errors go to standard error. A stream that is not a terminal gets plain text: no colours, no cursor movement and no
/// wrapping, so a pipe or a file receives exactly the lines written. A terminal gets colours and its own width.
/// </summary>
public sealed class Terminal
{
    /// <summary>The width given to a stream that is not a terminal: wide enough that no line is ever wrapped.</summary>
    private const int Unwrapped = 1 << 16;

    private readonly bool errorIsTerminal;

    /// <summary>Consoles over the given writers.</summary>
    /// <param name="output">Standard output.</param>
    /// <param name="error">Standard error.</param>
    /// <param name="outputIsTerminal">Whether standard output is a terminal.</param>
    /// <param name="errorIsTerminal">Whether standard error is a terminal.</param>
    public Terminal(TextWriter output, TextWriter error, bool outputIsTerminal, bool errorIsTerminal)
    {
        Output = output;
        Error = error;
        this.errorIsTerminal = errorIsTerminal;
        Results = Create(output, outputIsTerminal);
        Messages = Create(error, errorIsTerminal);
    }

    /// <summary>The process's own standard output and error.</summary>
    public static Terminal Standard()
    {
        var output = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16) { AutoFlush = false };
        var error = new StreamWriter(Console.OpenStandardError(), new UTF8Encoding(false)) { AutoFlush = true };
        return new Terminal(output, error, !Console.IsOutputRedirected, !Console.IsErrorRedirected);
    }

    /// <summary>Machine-readable results, written exactly as given (CSV, JSON).</summary>
    public TextWriter Output { get; }

    /// <summary>Standard error as plain text.</summary>
    public TextWriter Error { get; }

    /// <summary>Results for people (tables, walkthroughs, help) on standard output.</summary>
    public IAnsiConsole Results { get; }

    /// <summary>Progress, summaries, warnings and errors on standard error.</summary>
    public IAnsiConsole Messages { get; }

    /// <summary>Whether standard error is a terminal, where a live progress display can be drawn.</summary>
    public bool Interactive => errorIsTerminal;

    /// <summary>Writes <c>error: message</c> on one line of standard error.</summary>
    /// <param name="message">What went wrong, naming the option or file.</param>
    public void WriteError(string message) => WriteLabelled("error", "red", message);

    /// <summary>Writes <c>warning: message</c> on one line of standard error.</summary>
    /// <param name="message">What the user should know.</param>
    public void WriteWarning(string message) => WriteLabelled("warning", "yellow", message);

    /// <summary>Shows the cursor again if a progress display on the terminal hid it; flushes both streams.</summary>
    public void Restore()
    {
        if (errorIsTerminal) Error.Write("\e[?25h");
        Output.Flush();
        Error.Flush();
    }

    private void WriteLabelled(string label, string colour, string message)
    {
        string line = OneLine(message);
        if (errorIsTerminal) Messages.MarkupLine($"[{colour}]{label}:[/] {Markup.Escape(line)}");
        else Error.WriteLine($"{label}: {line}");
    }

    /// <summary>A message on one line: line breaks inside it become spaces.</summary>
    /// <param name="message">Any text.</param>
    public static string OneLine(string message) => string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

    private static IAnsiConsole Create(TextWriter writer, bool isTerminal)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = isTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = isTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = isTerminal ? InteractionSupport.Yes : InteractionSupport.No,
            Out = new Stream(writer, isTerminal),
        });
        return console;
    }

    /// <summary>A writer with a known kind: a terminal reports its width, anything else is never wrapped.</summary>
    private sealed class Stream(TextWriter writer, bool isTerminal) : IAnsiConsoleOutput
    {
        public TextWriter Writer => writer;

        public bool IsTerminal => isTerminal;

        public int Width => isTerminal ? TerminalWidth() : Unwrapped;

        public int Height => isTerminal ? 24 : Unwrapped;

        public void SetEncoding(Encoding encoding) { }

        private static int TerminalWidth()
        {
            try { return Console.WindowWidth > 0 ? Console.WindowWidth : 80; }
            catch (IOException) { return 80; }
        }
    }
}
