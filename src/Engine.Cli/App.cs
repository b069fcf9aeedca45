using Engine.Cli.Commands;
using Spectre.Console.Cli;

namespace Engine.Cli;

/// <summary>
/// The <c>nn</c> command line: its commands and exit codes. Results go to standard output, everything else to standard error;
/// a failure is one <c>error:</c> line on standard error, never a stack trace.
/// </summary>
public static class App
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>A check failed (gradient check) or training diverged.</summary>
    public const int Failed = 1;

    /// <summary>Bad options, arguments or input files.</summary>
    public const int BadInput = 2;

    /// <summary>An unexpected exception: a bug in <c>nn</c> (sysexits' EX_SOFTWARE).</summary>
    public const int InternalError = 70;

    /// <summary>Training was interrupted by Ctrl+C (SIGINT) or SIGTERM after saving a checkpoint: 128 + the signal number.</summary>
    public const int Interrupted = 130;

    /// <summary>The option that prints the stack trace of an unexpected exception.</summary>
    public const string Verbose = "--verbose";

    /// <summary>Runs <c>nn</c> on the process's standard streams.</summary>
    /// <param name="args">The command line.</param>
    public static int Main(string[] args)
    {
        var terminal = Terminal.Standard();
        using var interruption = new Interruption(terminal);
        try
        {
            return Run(args, terminal, interruption);
        }
        finally
        {
            terminal.Restore();
        }
    }

    /// <summary>Runs <c>nn</c> in-process with both streams written to one console, which is not a terminal (for tests).</summary>
    /// <param name="args">The command line.</param>
    /// <param name="console">Receives results and messages, in the order written.</param>
    public static int Run(string[] args, Spectre.Console.IAnsiConsole console)
    {
        var writer = console.Profile.Out.Writer;
        return Run(args, new Terminal(writer, writer, outputIsTerminal: false, errorIsTerminal: false));
    }

    /// <summary>Runs <c>nn</c> in-process with <paramref name="args"/>, writing to <paramref name="terminal"/>.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="terminal">Where results and messages go.</param>
    public static int Run(string[] args, Terminal terminal)
    {
        using var interruption = new Interruption(terminal);
        return Run(args, terminal, interruption);
    }

    /// <summary>Runs <c>nn</c> with <paramref name="args"/>, writing to <paramref name="terminal"/>.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="terminal">Where results and messages go.</param>
    /// <param name="interruption">Ctrl+C and SIGTERM, for the commands that save their work when stopped.</param>
    public static int Run(string[] args, Terminal terminal, Interruption interruption)
    {
        var commands = new Dictionary<string, Type>();
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("nn");
            config.UseAssemblyInformationalVersion();
            config.ConfigureConsole(terminal.Results);
            config.Settings.Registrar.RegisterInstance(terminal);
            config.Settings.Registrar.RegisterInstance(interruption);
            config.PropagateExceptions();
            config.UseStrictParsing();
            ICommandConfigurator Add<TCommand, TSettings>(string name) where TCommand : class, ICommand<TSettings> where TSettings : CommandSettings
            {
                commands[name] = typeof(TSettings);
                return config.AddCommand<TCommand>(name);
            }
            Add<TrainCommand, TrainCommand.Settings>("train")
                .WithDescription("Train a network on embedded or given data, with live progress; writes the model, per-epoch metrics and plots into a new run folder, whose path it prints.")
                .WithExample("train")
                .WithExample("train", "--data", "iris", "--layers", "4,8,3", "--epochs", "100", "--out", "runs/iris")
                .WithExample("train", "--data", "breast-cancer", "--activation", "relu", "--lr", "0.1");
            Add<EvaluateCommand, EvaluateCommand.Settings>("evaluate")
                .WithDescription("Loss and accuracy of a saved model on data.")
                .WithExample("evaluate", "--model", "runs/iris/model.safetensors", "--data", "iris");
            Add<PredictCommand, PredictCommand.Settings>("predict")
                .WithDescription("Predictions of a saved model for feature rows read from a CSV file or standard input, as CSV on standard output.")
                .WithExample("predict", "--model", "runs/iris/model.safetensors", "--input", "rows.csv");
            Add<ExportCommand, ExportCommand.Settings>("export")
                .WithDescription("Write a saved model as an ONNX model (opset 13; the standardizer inside the graph); prints the file written.")
                .WithExample("export", "--model", "runs/iris/model.safetensors", "--format", "onnx", "--out", "iris.onnx");
            Add<GradcheckCommand, GradcheckCommand.Settings>("gradcheck")
                .WithDescription("Compare every backpropagated gradient of a network with finite differences; exit 1 above the tolerance.")
                .WithExample("gradcheck", "--layers", "4,8,3", "--activation", "tanh", "--loss", "mse")
                .WithExample("gradcheck", "--layers", "5,7,7,4", "--activation", "gelu", "--output-activation", "softmax", "--loss", "cce", "--batch", "3");
            Add<WalkthroughCommand, WalkthroughCommand.Settings>("walkthrough")
                .WithDescription("Replay the notes' worked examples step by step: seed 003's batch (default), seed 002's nine derivatives (--example iq), " +
                                 "seed 000's vanishing gradients (--example vanishing), seed 001's saturated neuron (--example saturation).")
                .WithExample("walkthrough")
                .WithExample("walkthrough", "--example", "iq")
                .WithExample("walkthrough", "--example", "vanishing", "--plot", "vanishing.png");
        });
        try
        {
            CommandLine.Check(args, commands);
            return app.Run(args);
        }
        catch (BadInputException e)
        {
            terminal.WriteError(e.Message);
            return BadInput;
        }
        catch (CommandAppException e)
        {
            terminal.WriteError(e.Message);
            return BadInput;
        }
        catch (Exception e)
        {
            return Unexpected(e, terminal, args.Contains(Verbose));
        }
    }

    /// <summary>An exception nothing expected is a bug: one line saying so, the stack trace only with <c>--verbose</c>.</summary>
    private static int Unexpected(Exception e, Terminal terminal, bool verbose)
    {
        terminal.WriteError($"internal error, a bug in nn: {e.GetType().Name}: {e.Message}" +
                            (verbose ? "" : $" (run again with {Verbose} for the stack trace)"));
        if (verbose) terminal.Error.WriteLine(e.ToString());
        return InternalError;
    }
}
