using Engine.Data;
using Engine.Networks;
using Engine.Serialization;

namespace Engine.Interop.Onnx;

/// <summary>
/// Writes a network as an ONNX model (opset <see cref="Opset"/>, IR version <see cref="IrVersion"/>): input <c>input</c>
/// <c>[N, features]</c>, the rows <c>nn predict</c> reads; the standardizer, if given, as <c>Sub(input, standardizer.mean)</c> then
/// <c>Div(·, standardizer.std)</c>; each layer by its registered <see cref="LayerExporter"/>, its parameters as initializers named as in
/// the model file (<c>layers.{l}.weight</c>, <c>layers.{l}.bias</c>); output <c>output</c> <c>[N, outputs]</c>, the network's outputs.
/// Every real tensor is of one element type: float64 keeps the engine's values, float32 is what most runtimes execute.
/// </summary>
public static class OnnxExport
{
    /// <summary>The ONNX operator set the graphs use (every operator here has existed in this form since opset 13).</summary>
    public const int Opset = 13;

    /// <summary>The IR version of opset 13's release (ONNX 1.8).</summary>
    public const int IrVersion = 7;

    /// <summary>The model <paramref name="network"/> is exported as.</summary>
    /// <param name="network">The network.</param>
    /// <param name="standardizer">The input standardization fitted on its training data, if any.</param>
    /// <param name="elementType"><see cref="OnnxDataType.Float"/> or <see cref="OnnxDataType.Double"/>.</param>
    /// <param name="layers">Where layer exporters are found (default: the built-ins).</param>
    /// <param name="activations">Where activation exporters are found (default: the built-ins).</param>
    /// <exception cref="ArgumentException">A layer or an activation has no exporter; the message names it and its layer.</exception>
    public static ModelProto ToModel(Network network, Standardizer? standardizer = null, OnnxDataType elementType = OnnxDataType.Float,
        Registry<LayerExporter>? layers = null, Registry<ActivationExporter>? activations = null)
    {
        ArgumentNullException.ThrowIfNull(network);
        layers ??= Registry<LayerExporter>.Builtin;
        var graph = new OnnxGraphBuilder(elementType, activations ?? Registry<ActivationExporter>.Builtin);
        var input = OnnxGraphBuilder.Input(network.InputSize);
        var current = input;
        if (standardizer is not null)
        {
            if (standardizer.Means.Length != network.InputSize)
                throw new ArgumentException($"The standardizer has {standardizer.Means.Length} features, but the network takes {network.InputSize}.", nameof(standardizer));
            graph.Scope = "standardizer";
            current = graph.Binary("Sub", current, graph.Constant("mean", standardizer.Means, standardizer.Means.Length));
            current = graph.Binary("Div", current, graph.Constant("std", standardizer.Deviations, standardizer.Deviations.Length));
        }
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            graph.Scope = $"layers.{l}";
            var exporter = layers.All.FirstOrDefault(e => e.LayerType == layer.GetType())
                           ?? throw new ArgumentException(
                               $"layers.{l}: no ONNX exporter writes {layer.GetType().Name} layers; add a LayerExporter<{layer.GetType().Name}> to a registered assembly.",
                               nameof(network));
            current = exporter.Export(layer, current, graph);
        }
        var output = graph.Flat(current);
        string precision = elementType == OnnxDataType.Double ? "float64" : "float32";
        return new ModelProto(IrVersion, [new OperatorSetIdProto("", Opset)], "verify-nn", typeof(OnnxExport).Assembly.GetName().Version?.ToString() ?? "",
            $"A {string.Join("→", new[] { network.InputSize }.Concat(network.Layers.Select(l => l.OutputSize)))} network exported in {precision}"
            + (standardizer is null ? "." : "; the input is standardized inside the graph."),
            graph.Build("network", input, output), []);
    }

    /// <summary>Saves the model to <paramref name="path"/> atomically: a save that fails midway leaves any previous file intact.</summary>
    /// <param name="path">The .onnx file.</param>
    /// <param name="model">The model (<see cref="ToModel"/>).</param>
    public static void Save(string path, ModelProto model) => AtomicFile.Write(path, stream => Write(stream, model));

    /// <summary>Writes the model to <paramref name="stream"/> in the protobuf encoding of <c>ModelProto</c>.</summary>
    /// <param name="stream">The destination.</param>
    /// <param name="model">The model (<see cref="ToModel"/>).</param>
    public static void Write(Stream stream, ModelProto model) => stream.Write(ProtobufWriter.Encode(model));
}
