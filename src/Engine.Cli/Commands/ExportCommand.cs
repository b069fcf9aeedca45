using System.ComponentModel;
using Engine.Interop.Onnx;
using Spectre.Console;
using Spectre.Console.Cli;

namespace Engine.Cli.Commands;

/// <summary><c>nn export</c>: a model file as an ONNX model.</summary>
public sealed class ExportCommand(Terminal terminal) : Command<ExportCommand.Settings>
{
    /// <summary>Options of <c>nn export</c>.</summary>
    public sealed class Settings : GlobalSettings
    {
        /// <summary>The model file.</summary>
        [CommandOption("--model <FILE>")]
        [Description("A model file written by nn train (required).")]
        public string? Model { get; init; }

        /// <summary>The format written.</summary>
        [CommandOption("--format <FORMAT>")]
        [Description("onnx (the only format so far).")]
        [DefaultValue("onnx")]
        public string Format { get; init; } = "onnx";

        /// <summary>The file written.</summary>
        [CommandOption("--out <FILE>")]
        [Description("The ONNX file to write; default: the model file's path with the extension .onnx.")]
        public string? Out { get; init; }

        /// <summary>The element type of the exported tensors.</summary>
        [CommandOption("--dtype <TYPE>")]
        [Description("float32 (what every ONNX runtime executes) or float64 (the engine's values exactly; ONNX Runtime's CPU provider has no float64 Conv, AveragePool, LeakyRelu, Elu, Softplus or Softsign).")]
        [DefaultValue("float32")]
        public string Dtype { get; init; } = "float32";
    }

    /// <inheritdoc/>
    public override int Execute(CommandContext context, Settings settings, CancellationToken cancellationToken)
    {
        if (settings.Model is null) throw new BadInputException("--model is required: the model file to export, e.g. runs/iris/model.safetensors.");
        Choices.OneOf(settings.Format, "--format", "onnx");
        Choices.OneOf(settings.Dtype, "--dtype", "float32", "float64");
        var model = InputFiles.LoadModel(settings.Model);
        string path = settings.Out ?? Path.ChangeExtension(settings.Model, ".onnx");
        var onnx = OnnxExport.ToModel(model.Network, model.Standardizer, settings.Dtype == "float64" ? OnnxDataType.Double : OnnxDataType.Float);
        OutputFiles.Write(path, settings.Out is null ? "--model" : "--out", file => OnnxExport.Save(file, onnx));
        var operators = onnx.Graph.Nodes.Select(n => n.OpType).Distinct();
        terminal.Messages.WriteLine($"Wrote {path}: ONNX opset {OnnxExport.Opset}, {settings.Dtype}, input '{OnnxGraphBuilder.InputName}' [N, {model.Network.InputSize}] "
                          + $"→ output '{OnnxGraphBuilder.OutputName}' [N, {model.Network.OutputSize}]"
                          + (model.Standardizer is null ? "" : ", the standardizer inside the graph")
                          + $"; operators {string.Join(", ", operators)}.");
        terminal.Output.WriteLine(path);
        return App.Ok;
    }
}
