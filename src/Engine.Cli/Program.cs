using Spectre.Console;

return Engine.Cli.App.Run(args, AnsiConsole.Console);
