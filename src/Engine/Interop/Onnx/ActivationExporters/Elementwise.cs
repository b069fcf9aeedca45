using Engine.Activations;

namespace Engine.Interop.Onnx.ActivationExporters;

// Each activation's ONNX form, one class per activation; the registry finds them.

/// <summary>Identity: no node, z itself.</summary>
public sealed class IdentityExporter : ActivationExporter<Identity>
{
    /// <inheritdoc/>
    protected override OnnxValue Export(Identity activation, OnnxValue z, OnnxGraphBuilder graph) => z;
}

/// <summary>ReLU: <c>Relu</c>.</summary>
public sealed class ReluExporter : ActivationExporter<Relu>
{
    /// <inheritdoc/>
    protected override OnnxValue Export(Relu activation, OnnxValue z, OnnxGraphBuilder graph) => graph.Elementwise("Relu", z);
}

/// <summary>Sigmoid: <c>Sigmoid</c>.</summary>
public sealed class SigmoidExporter : ActivationExporter<Sigmoid>
{
    /// <inheritdoc/>
    protected override OnnxValue Export(Sigmoid activation, OnnxValue z, OnnxGraphBuilder graph) => graph.Elementwise("Sigmoid", z);
}

/// <summary>Tanh: <c>Tanh</c>.</summary>
public sealed class TanhExporter : ActivationExporter<Tanh>
{
    /// <inheritdoc/>
    protected override OnnxValue Export(Tanh activation, OnnxValue z, OnnxGraphBuilder graph) => graph.Elementwise("Tanh", z);
}

/// <summary>Softplus: <c>Softplus</c>.</summary>
public sealed class SoftplusExporter : ActivationExporter<Softplus>
{
    /// <inheritdoc/>
    protected override OnnxValue Export(Softplus activation, OnnxValue z, OnnxGraphBuilder graph) => graph.Elementwise("Softplus", z);
}

/// <summary>Softsign: <c>Softsign</c>.</summary>
public sealed class SoftsignExporter : ActivationExporter<Softsign>
{
    /// <inheritdoc/>
    protected override OnnxValue Export(Softsign activation, OnnxValue z, OnnxGraphBuilder graph) => graph.Elementwise("Softsign", z);
}

/// <summary>Leaky ReLU: <c>LeakyRelu(alpha = s)</c>.</summary>
public sealed class LeakyReluExporter : ActivationExporter<LeakyRelu>
{
    /// <inheritdoc/>
    protected override OnnxValue Export(LeakyRelu activation, OnnxValue z, OnnxGraphBuilder graph) =>
        graph.Elementwise("LeakyRelu", z, AttributeProto.Float("alpha", (float)activation.NegativeSlope));
}

/// <summary>ELU: <c>Elu(alpha = α)</c>.</summary>
public sealed class EluExporter : ActivationExporter<Elu>
{
    /// <inheritdoc/>
    protected override OnnxValue Export(Elu activation, OnnxValue z, OnnxGraphBuilder graph) =>
        graph.Elementwise("Elu", z, AttributeProto.Float("alpha", (float)activation.Alpha));
}

/// <summary>Softmax over each sample's values: <c>Softmax(axis = −1)</c> of the sample as one vector (an image is flattened first, as the engine's rows are).</summary>
public sealed class SoftmaxExporter : ActivationExporter<Softmax>
{
    /// <inheritdoc/>
    protected override OnnxValue Export(Softmax activation, OnnxValue z, OnnxGraphBuilder graph) =>
        graph.Elementwise("Softmax", graph.Flat(z), AttributeProto.Int("axis", -1));
}

/// <summary>SiLU: z·<c>Sigmoid</c>(z), a <c>Mul</c> (ONNX has no SiLU operator).</summary>
public sealed class SiluExporter : ActivationExporter<Silu>
{
    /// <inheritdoc/>
    protected override OnnxValue Export(Silu activation, OnnxValue z, OnnxGraphBuilder graph) =>
        graph.Binary("Mul", z, graph.Elementwise("Sigmoid", z).Name);
}

/// <summary>
/// GELU, tanh form: ½·z·(1 + Tanh(√(2/π)·(z + 0.044715·z³))) from <c>Mul</c>, <c>Add</c> and <c>Tanh</c>, the engine's formula
/// term by term (ONNX's <c>Gelu</c> operator exists only from opset 20).
/// </summary>
public sealed class GeluExporter : ActivationExporter<Gelu>
{
    /// <inheritdoc/>
    protected override OnnxValue Export(Gelu activation, OnnxValue z, OnnxGraphBuilder graph)
    {
        var cube = graph.Binary("Mul", graph.Binary("Mul", z, z.Name), z.Name);
        var inner = graph.Binary("Add", z, graph.Binary("Mul", cube, graph.Constant("gelu_cubic", [Gelu.Function.Cubic])).Name);
        var t = graph.Elementwise("Tanh", graph.Binary("Mul", inner, graph.Constant("gelu_scale", [Gelu.Function.Scale])));
        var onePlus = graph.Binary("Add", t, graph.Constant("one", [1.0]));
        return graph.Binary("Mul", graph.Binary("Mul", z, graph.Constant("half", [0.5])), onePlus.Name);
    }
}

/// <summary>Step: <c>Cast(GreaterOrEqual(z, 0))</c> to the graph's real type, exactly 1 where z ≥ 0 and 0 elsewhere (NaN included).</summary>
public sealed class StepExporter : ActivationExporter<Step>
{
    /// <inheritdoc/>
    protected override OnnxValue Export(Step activation, OnnxValue z, OnnxGraphBuilder graph) =>
        graph.Elementwise("Cast", graph.Binary("GreaterOrEqual", z, graph.Constant("zero", [0.0])), AttributeProto.Int("to", (int)graph.ElementType));
}
