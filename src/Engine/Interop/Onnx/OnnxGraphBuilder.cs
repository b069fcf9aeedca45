using Engine.Activations;
using Engine.Networks;

namespace Engine.Interop.Onnx;

/// <summary>
/// Collects the nodes and constants of an exported graph as layer and activation exporters add them. Values carry one sample's
/// dimensions (<see cref="OnnxValue"/>), so an exporter asks for its input as a vector (<see cref="Flat"/>) or as an image
/// (<see cref="Image"/>) and the builder inserts the Flatten or Reshape between layers that store the same values row-major.
/// </summary>
/// <param name="elementType">The type of every real tensor: <see cref="OnnxDataType.Float"/> or <see cref="OnnxDataType.Double"/>.</param>
/// <param name="activations">Where activation exporters are looked up.</param>
public sealed class OnnxGraphBuilder(OnnxDataType elementType, Registry<ActivationExporter> activations)
{
    /// <summary>The symbol of the batch dimension.</summary>
    public const string BatchSymbol = "N";

    /// <summary>The name of the graph's input, <c>[N, features]</c>.</summary>
    public const string InputName = "input";

    /// <summary>The name of the graph's output, <c>[N, outputs]</c>.</summary>
    public const string OutputName = "output";

    private readonly List<NodeProto> nodes = [];
    private readonly List<TensorProto> initializers = [];
    private readonly HashSet<string> names = [InputName, OutputName];

    /// <summary>The type of every real tensor in the graph.</summary>
    public OnnxDataType ElementType { get; } = elementType is OnnxDataType.Float or OnnxDataType.Double
        ? elementType
        : throw new ArgumentException($"elementType must be Float or Double, but is {elementType}.", nameof(elementType));

    /// <summary>The prefix of the names added next, e.g. <c>layers.0</c>; errors name it too.</summary>
    public string Scope { get; set; } = "";

    /// <summary>The nodes added so far, in order.</summary>
    public IReadOnlyList<NodeProto> Nodes => nodes;

    /// <summary>The constants added so far.</summary>
    public IReadOnlyList<TensorProto> Initializers => initializers;

    /// <summary>A real constant of <see cref="ElementType"/> called <c>{Scope}.{name}</c> (e.g. <c>layers.0.weight</c>, as in the model file).</summary>
    /// <param name="name">Its name within the scope.</param>
    /// <param name="values">Its values, row-major.</param>
    /// <param name="dims">Its dimensions (none for a scalar).</param>
    /// <returns>The constant's name in the graph.</returns>
    public string Constant(string name, ReadOnlySpan<double> values, params IReadOnlyList<int> dims)
    {
        string unique = Unique(Scoped(name));
        initializers.Add(TensorProto.Real(unique, ElementType, [.. dims.Select(d => (long)d)], values));
        return unique;
    }

    /// <summary>A node of operator <paramref name="opType"/> with one output.</summary>
    /// <param name="opType">The ONNX operator, e.g. <c>Gemm</c>.</param>
    /// <param name="inputs">The names of the values it reads.</param>
    /// <param name="outputDims">One sample's dimensions of its output.</param>
    /// <param name="attributes">Its attributes.</param>
    /// <returns>Its output, named <c>{Scope}.{opType}</c> (numbered if taken).</returns>
    public OnnxValue Node(string opType, IReadOnlyList<string> inputs, IReadOnlyList<int> outputDims, params AttributeProto[] attributes)
    {
        string output = Unique(Scoped(opType));
        nodes.Add(new NodeProto(opType, inputs, [output], output, attributes));
        return new OnnxValue(output, outputDims);
    }

    /// <summary>An elementwise node: one input, the output of the same dimensions.</summary>
    /// <param name="opType">The ONNX operator, e.g. <c>Relu</c>.</param>
    /// <param name="input">What it reads.</param>
    /// <param name="attributes">Its attributes.</param>
    public OnnxValue Elementwise(string opType, OnnxValue input, params AttributeProto[] attributes) =>
        Node(opType, [input.Name], input.Dims, attributes);

    /// <summary>An elementwise node of two inputs of which the first gives the output's dimensions (the second broadcasts).</summary>
    /// <param name="opType">The ONNX operator, e.g. <c>Mul</c>.</param>
    /// <param name="left">The first input.</param>
    /// <param name="right">The name of the second input.</param>
    public OnnxValue Binary(string opType, OnnxValue left, string right) => Node(opType, [left.Name, right], left.Dims);

    /// <summary>The value as one vector per sample, <c>[N, size]</c>: itself, or a Flatten(axis = 1) of it.</summary>
    /// <param name="value">A vector or an image.</param>
    public OnnxValue Flat(OnnxValue value) =>
        value.Dims.Count == 1 ? value : Node("Flatten", [value.Name], [value.Size], AttributeProto.Int("axis", 1));

    /// <summary>The value as an image of <paramref name="shape"/> per sample, <c>[N, c, h, w]</c>: itself, or a Reshape of it (same row-major values).</summary>
    /// <param name="value">A value of <paramref name="shape"/>'s size.</param>
    /// <param name="shape">The image's shape.</param>
    public OnnxValue Image(OnnxValue value, ImageShape shape)
    {
        int[] dims = [shape.Channels, shape.Height, shape.Width];
        if (value.Dims.SequenceEqual(dims)) return value;
        if (value.Size != shape.Size)
            throw new ArgumentException($"{Scope}: a value of {value.Size} values per sample cannot be viewed as a {shape} image.", nameof(value));
        string target = Unique(Scoped("shape"));
        initializers.Add(TensorProto.Int64(target, [4], [-1, shape.Channels, shape.Height, shape.Width]));
        return Node("Reshape", [value.Name, target], dims);
    }

    /// <summary>σ(z) by the exporter registered for the activation's type.</summary>
    /// <param name="activation">σ.</param>
    /// <param name="z">The pre-activations.</param>
    /// <exception cref="ArgumentException">No exporter is registered for the activation: ONNX has no equivalent of it here.</exception>
    public OnnxValue Activate(Activation activation, OnnxValue z)
    {
        var exporter = activations.All.FirstOrDefault(e => e.ActivationType == activation.GetType())
                       ?? throw new ArgumentException(
                           $"{Scope}: the activation '{activation.Name}' has no ONNX equivalent in this exporter (exportable: {string.Join(", ", activations.All.Select(e => e.ActivationName))}).",
                           nameof(activation));
        return exporter.Export(activation, z, this);
    }

    /// <summary>The graph's input: <paramref name="features"/> values per sample, called <see cref="InputName"/>.</summary>
    /// <param name="features">Values per sample.</param>
    public static OnnxValue Input(int features) => new(InputName, [features]);

    /// <summary>The graph: the nodes added, reading <see cref="Input"/> and returning <paramref name="output"/> as <see cref="OutputName"/>.</summary>
    /// <param name="name">The graph's name.</param>
    /// <param name="input">The graph's input.</param>
    /// <param name="output">The value the graph returns: the last node's output is renamed, any other value passes through an Identity.</param>
    internal GraphProto Build(string name, OnnxValue input, OnnxValue output)
    {
        if (nodes.Count > 0 && nodes[^1].Outputs[0] == output.Name)
            nodes[^1] = nodes[^1] with { Outputs = [OutputName] };
        else nodes.Add(new NodeProto("Identity", [output.Name], [OutputName], OutputName, []));
        return new GraphProto(name, nodes, initializers,
            [new ValueInfoProto(input.Name, ElementType, input.BatchShape)],
            [new ValueInfoProto(OutputName, ElementType, (output with { Name = OutputName }).BatchShape)]);
    }

    private string Scoped(string name) => Scope.Length == 0 ? name : $"{Scope}.{name}";

    private string Unique(string name)
    {
        string candidate = name;
        for (int i = 1; !names.Add(candidate); i++) candidate = $"{name}_{i}";
        return candidate;
    }
}
