using System.Buffers.Binary;

namespace Engine.Interop.Onnx;

// The ONNX messages the exporter writes, with the field numbers of onnx.proto (IR version 7 and later): only the fields used here.

/// <summary>The element types (<c>TensorProto.DataType</c>) the exporter writes.</summary>
public enum OnnxDataType
{
    /// <summary>IEEE 754 single precision, <c>tensor(float)</c>.</summary>
    Float = 1,

    /// <summary>Signed 64-bit integers, <c>tensor(int64)</c> (shapes).</summary>
    Int64 = 7,

    /// <summary>IEEE 754 double precision, <c>tensor(double)</c>.</summary>
    Double = 11,
}

/// <summary><c>ModelProto</c>: the file's top-level message.</summary>
/// <param name="IrVersion">The IR version (field 1).</param>
/// <param name="OpsetImport">The operator sets the graph uses (field 8).</param>
/// <param name="ProducerName">The tool that wrote it (field 2).</param>
/// <param name="ProducerVersion">Its version (field 3).</param>
/// <param name="DocString">A description (field 6, not written when empty).</param>
/// <param name="Graph">The computation (field 7).</param>
/// <param name="MetadataProps">String metadata (field 14).</param>
public sealed record ModelProto(long IrVersion, IReadOnlyList<OperatorSetIdProto> OpsetImport, string ProducerName, string ProducerVersion,
    string DocString, GraphProto Graph, IReadOnlyList<KeyValuePair<string, string>> MetadataProps) : IProtobufMessage
{
    /// <inheritdoc/>
    public void WriteTo(ProtobufWriter writer)
    {
        writer.Integer(1, IrVersion);
        writer.String(2, ProducerName);
        writer.String(3, ProducerVersion);
        if (DocString.Length > 0) writer.String(6, DocString);
        writer.Message(7, Graph);
        foreach (var opset in OpsetImport) writer.Message(8, opset);
        foreach (var (key, value) in MetadataProps)
            writer.Message(14, entry =>
            {
                entry.String(1, key);
                entry.String(2, value);
            });
    }
}

/// <summary><c>OperatorSetIdProto</c>: an operator set and its version.</summary>
/// <param name="Domain">The domain; empty (and then not written) for the standard <c>ai.onnx</c> operators (field 1).</param>
/// <param name="Version">The opset version (field 2).</param>
public sealed record OperatorSetIdProto(string Domain, long Version) : IProtobufMessage
{
    /// <inheritdoc/>
    public void WriteTo(ProtobufWriter writer)
    {
        if (Domain.Length > 0) writer.String(1, Domain);
        writer.Integer(2, Version);
    }
}

/// <summary><c>GraphProto</c>: nodes in topological order, the constant tensors they read, and the graph's inputs and outputs.</summary>
/// <param name="Name">The graph's name (field 2).</param>
/// <param name="Nodes">The nodes, each after those it reads from (field 1).</param>
/// <param name="Initializers">Named constants: weights, biases, shapes (field 5).</param>
/// <param name="Inputs">The graph's inputs (field 11).</param>
/// <param name="Outputs">The graph's outputs (field 12).</param>
public sealed record GraphProto(string Name, IReadOnlyList<NodeProto> Nodes, IReadOnlyList<TensorProto> Initializers,
    IReadOnlyList<ValueInfoProto> Inputs, IReadOnlyList<ValueInfoProto> Outputs) : IProtobufMessage
{
    /// <inheritdoc/>
    public void WriteTo(ProtobufWriter writer)
    {
        foreach (var node in Nodes) writer.Message(1, node);
        writer.String(2, Name);
        foreach (var tensor in Initializers) writer.Message(5, tensor);
        foreach (var input in Inputs) writer.Message(11, input);
        foreach (var output in Outputs) writer.Message(12, output);
    }
}

/// <summary><c>NodeProto</c>: one operator application.</summary>
/// <param name="OpType">The operator, e.g. <c>Gemm</c> (field 4).</param>
/// <param name="Inputs">The values it reads (field 1).</param>
/// <param name="Outputs">The values it writes (field 2).</param>
/// <param name="Name">The node's name (field 3).</param>
/// <param name="Attributes">Its attributes (field 5).</param>
public sealed record NodeProto(string OpType, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs, string Name,
    IReadOnlyList<AttributeProto> Attributes) : IProtobufMessage
{
    /// <inheritdoc/>
    public void WriteTo(ProtobufWriter writer)
    {
        foreach (var input in Inputs) writer.String(1, input);
        foreach (var output in Outputs) writer.String(2, output);
        writer.String(3, Name);
        writer.String(4, OpType);
        foreach (var attribute in Attributes) writer.Message(5, attribute);
    }
}

/// <summary>
/// <c>AttributeProto</c> of one of the kinds operators here take: a float (field 2, type 1), an integer (field 3, type 2) or a
/// list of integers (field 8 repeated, type 7). The type discriminator (field 20) is always written, as IR version 2 and later require.
/// </summary>
public sealed record AttributeProto : IProtobufMessage
{
    private const int FloatType = 1, IntType = 2, IntsType = 7;
    private readonly int type;
    private readonly float floatValue;
    private readonly long[] integers;

    private AttributeProto(string name, int type, float floatValue, long[] integers) =>
        (Name, this.type, this.floatValue, this.integers) = (name, type, floatValue, integers);

    /// <summary>The attribute's name (field 1).</summary>
    public string Name { get; }

    /// <summary>A float attribute (ONNX attributes are single precision).</summary>
    /// <param name="name">Its name.</param>
    /// <param name="value">Its value.</param>
    public static AttributeProto Float(string name, float value) => new(name, FloatType, value, []);

    /// <summary>An integer attribute.</summary>
    /// <param name="name">Its name.</param>
    /// <param name="value">Its value.</param>
    public static AttributeProto Int(string name, long value) => new(name, IntType, 0, [value]);

    /// <summary>A list-of-integers attribute.</summary>
    /// <param name="name">Its name.</param>
    /// <param name="values">Its values.</param>
    public static AttributeProto Ints(string name, params long[] values) => new(name, IntsType, 0, values);

    /// <inheritdoc/>
    public void WriteTo(ProtobufWriter writer)
    {
        writer.String(1, Name);
        if (type == FloatType) writer.Float(2, floatValue);
        if (type == IntType) writer.Integer(3, integers[0]);
        if (type == IntsType) foreach (long value in integers) writer.Integer(8, value);
        writer.Integer(20, type);
    }
}

/// <summary><c>TensorProto</c>: a named constant, its elements in <c>raw_data</c> (field 9) as little-endian fixed-width values, row-major.</summary>
public sealed record TensorProto : IProtobufMessage
{
    private readonly byte[] rawData;

    private TensorProto(string name, OnnxDataType dataType, long[] dims, byte[] rawData) =>
        (Name, DataType, Dims, this.rawData) = (name, dataType, dims, rawData);

    /// <summary>Its name, by which nodes read it (field 8).</summary>
    public string Name { get; }

    /// <summary>Its element type (field 2).</summary>
    public OnnxDataType DataType { get; }

    /// <summary>Its dimensions (field 1 repeated); none for a scalar.</summary>
    public IReadOnlyList<long> Dims { get; }

    /// <summary>Real values stored as <paramref name="dataType"/>: doubles as they are, or rounded to the nearest float.</summary>
    /// <param name="name">Its name.</param>
    /// <param name="dataType"><see cref="OnnxDataType.Double"/> or <see cref="OnnxDataType.Float"/>.</param>
    /// <param name="dims">Its dimensions; their product is the number of values.</param>
    /// <param name="values">The values, row-major.</param>
    public static TensorProto Real(string name, OnnxDataType dataType, long[] dims, ReadOnlySpan<double> values)
    {
        CheckCount(dims, values.Length);
        byte[] raw;
        if (dataType == OnnxDataType.Double)
        {
            raw = new byte[8 * values.Length];
            for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(raw.AsSpan(8 * i), values[i]);
        }
        else if (dataType == OnnxDataType.Float)
        {
            raw = new byte[4 * values.Length];
            for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(4 * i), (float)values[i]);
        }
        else throw new ArgumentException($"dataType must be Float or Double for real values, but is {dataType}.", nameof(dataType));
        return new TensorProto(name, dataType, dims, raw);
    }

    /// <summary>64-bit integers (e.g. a target shape for Reshape).</summary>
    /// <param name="name">Its name.</param>
    /// <param name="dims">Its dimensions.</param>
    /// <param name="values">The values, row-major.</param>
    public static TensorProto Int64(string name, long[] dims, ReadOnlySpan<long> values)
    {
        CheckCount(dims, values.Length);
        var raw = new byte[8 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(8 * i), values[i]);
        return new TensorProto(name, OnnxDataType.Int64, dims, raw);
    }

    private static void CheckCount(long[] dims, int count)
    {
        long expected = dims.Aggregate(1L, (product, d) => product * d);
        if (expected != count)
            throw new ArgumentException($"A tensor of dims [{string.Join(", ", dims)}] holds {expected} values, but {count} were given.", nameof(dims));
    }

    /// <inheritdoc/>
    public void WriteTo(ProtobufWriter writer)
    {
        foreach (long dim in Dims) writer.Integer(1, dim);
        writer.Integer(2, (int)DataType);
        writer.String(8, Name);
        writer.Bytes(9, rawData);
    }
}

/// <summary>One dimension of a value's shape: a fixed size, or a named symbol for a size known only at run time (the batch).</summary>
/// <param name="Size">The size, when fixed.</param>
/// <param name="Symbol">The symbol, e.g. <c>N</c>, when not.</param>
public readonly record struct OnnxDimension(long? Size, string? Symbol)
{
    /// <summary>A fixed size.</summary>
    /// <param name="size">The size.</param>
    public static implicit operator OnnxDimension(long size) => new(size, null);

    /// <summary>A symbolic size.</summary>
    /// <param name="symbol">The symbol.</param>
    public static implicit operator OnnxDimension(string symbol) => new(null, symbol);
}

/// <summary><c>ValueInfoProto</c> of a tensor: its name (field 1) and type (field 2: <c>TypeProto.tensor_type</c> with the element type and shape).</summary>
/// <param name="Name">The value's name.</param>
/// <param name="ElementType">Its element type.</param>
/// <param name="Shape">Its dimensions.</param>
public sealed record ValueInfoProto(string Name, OnnxDataType ElementType, IReadOnlyList<OnnxDimension> Shape) : IProtobufMessage
{
    /// <inheritdoc/>
    public void WriteTo(ProtobufWriter writer)
    {
        writer.String(1, Name);
        writer.Message(2, type => type.Message(1, tensor =>
        {
            tensor.Integer(1, (int)ElementType);
            tensor.Message(2, shape =>
            {
                foreach (var dimension in Shape)
                    shape.Message(1, dim =>
                    {
                        if (dimension.Size is { } size) dim.Integer(1, size);
                        else dim.String(2, dimension.Symbol ?? "");
                    });
            });
        }));
    }
}
