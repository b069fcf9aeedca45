using Engine.Networks;

namespace Engine.Interop.Onnx.LayerExporters;

/// <summary>Flatten: <c>Flatten(axis = 1)</c>, <c>[N, c, h, w]</c> → <c>[N, c·h·w]</c> in the same row-major order (nothing when the input is already a vector).</summary>
public sealed class FlattenExporter : LayerExporter<Flatten>
{
    /// <inheritdoc/>
    protected override OnnxValue Export(Flatten layer, OnnxValue input, OnnxGraphBuilder graph) => graph.Flat(input);
}
