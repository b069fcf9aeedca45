using System.ComponentModel;
using Spectre.Console.Cli;

namespace Engine.Cli.Commands;

/// <summary>The options every command takes.</summary>
public class GlobalSettings : CommandSettings
{
    /// <summary>Print the stack trace of an unexpected exception.</summary>
    [CommandOption(App.Verbose)]
    [Description("On an unexpected error (a bug in nn), print its stack trace after the error line.")]
    public bool Verbose { get; init; }
}
