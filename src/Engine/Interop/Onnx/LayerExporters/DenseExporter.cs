using Engine.Networks;

namespace Engine.Interop.Onnx.LayerExporters;

/// <summary>A dense layer: z = Gemm(x, W, b, transB = 1) = x·Wᵀ + b with W <c>[out, in]</c> as stored, then σ.</summary>
public sealed class DenseExporter : LayerExporter<Dense>
{
    /// <inheritdoc/>
    protected override OnnxValue Export(Dense layer, OnnxValue input, OnnxGraphBuilder graph)
    {
        var x = graph.Flat(input);
        string weight = graph.Constant("weight", layer.Weights, layer.OutputSize, layer.InputSize);
        string bias = graph.Constant("bias", layer.Biases, layer.OutputSize);
        var z = graph.Node("Gemm", [x.Name, weight, bias], [layer.OutputSize], AttributeProto.Int("transB", 1));
        return graph.Activate(layer.Activation, z);
    }
}
