using Engine.Cli.Commands;
using Engine.Data;
using Engine.Serialization;
using Engine.Training;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Engine.Cli;

/// <summary>The <c>nn</c> command line: its commands and exit codes (0 ok, 1 a check or training failed, 2 bad arguments or input).</summary>
public static class App
{
    /// <summary>Success.</summary>
    public const int Ok = 0;

    /// <summary>A gradient check or training failed.</summary>
    public const int Failed = 1;

    /// <summary>Bad arguments or input.</summary>
    public const int BadInput = 2;

    /// <summary>Runs <c>nn</c> with <paramref name="args"/>, writing to <paramref name="console"/>.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="console">Where output goes (a test passes a recording console).</param>
    public static int Run(string[] args, IAnsiConsole console)
    {
        var app = new CommandApp();
        app.Configure(config =>
        {
            config.SetApplicationName("nn");
            config.ConfigureConsole(console);
            config.PropagateExceptions();
            config.AddCommand<TrainCommand>("train")
                .WithDescription("Train a network on embedded or given data, with live progress; writes the model, per-epoch metrics and plots.")
                .WithExample("train")
                .WithExample("train", "--data", "iris", "--layers", "4,8,3", "--epochs", "100")
                .WithExample("train", "--data", "breast-cancer", "--activation", "relu", "--lr", "0.1");
            config.AddCommand<EvaluateCommand>("evaluate")
                .WithDescription("Loss and accuracy of a saved model on data.")
                .WithExample("evaluate", "--model", "runs/latest/model.safetensors", "--data", "digits");
            config.AddCommand<PredictCommand>("predict")
                .WithDescription("Predictions of a saved model for feature rows read from a CSV file or standard input.")
                .WithExample("predict", "--model", "runs/latest/model.safetensors", "--input", "rows.csv");
            config.AddCommand<ExportCommand>("export")
                .WithDescription("Write a saved model as an ONNX model (opset 13; the standardizer inside the graph).")
                .WithExample("export", "--model", "runs/latest/model.safetensors", "--format", "onnx", "--out", "model.onnx");
            config.AddCommand<GradcheckCommand>("gradcheck")
                .WithDescription("Compare every backpropagated gradient of a network with finite differences; exit 1 above the tolerance.")
                .WithExample("gradcheck", "--layers", "4,8,3", "--activation", "tanh", "--loss", "mse")
                .WithExample("gradcheck", "--layers", "5,7,7,4", "--activation", "gelu", "--output-activation", "softmax", "--loss", "cce", "--batch", "3");
            config.AddCommand<WalkthroughCommand>("walkthrough")
                .WithDescription("Replay the notes' worked examples step by step: seed 003's batch (default), seed 002's nine derivatives (--example iq), " +
                                 "seed 000's vanishing gradients (--example vanishing), seed 001's saturated neuron (--example saturation).")
                .WithExample("walkthrough")
                .WithExample("walkthrough", "--example", "iq")
                .WithExample("walkthrough", "--example", "vanishing", "--plot", "vanishing.png");
        });
        try
        {
            return app.Run(args);
        }
        catch (TrainingDivergedException e)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return Failed;
        }
        catch (Exception e) when (e is CommandAppException or ArgumentException or FormatException or ModelFormatException
                                      or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            console.MarkupLine($"[red]error:[/] {Markup.Escape(e.Message)}");
            return BadInput;
        }
    }
}
