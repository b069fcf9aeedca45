using System.Text.Json.Nodes;
using Engine.Activations;
using Engine.Networks;

namespace Engine.Serialization;

/// <summary>A network's layers as a model file stores them: a JSON list of each layer's <c>type</c> and settings, written and read by the layer codecs.</summary>
public static class Topology
{
    /// <summary>The most layers a topology may list: more is taken for a hostile file.</summary>
    public const int MaxLayers = 1000;

    /// <summary>One layer's stored form: <c>{"type": codec name, settings…}</c>.</summary>
    /// <param name="layer">The layer.</param>
    /// <param name="codecs">Where its codec is found (default: the built-in codecs).</param>
    /// <exception cref="ArgumentException">No codec writes the layer's class.</exception>
    public static JsonObject Encode(Layer layer, Registry<LayerCodec>? codecs = null)
    {
        ArgumentNullException.ThrowIfNull(layer);
        var codec = (codecs ?? Registry<LayerCodec>.Builtin).All.FirstOrDefault(c => c.LayerType == layer.GetType())
                    ?? throw new ArgumentException($"No layer codec writes {layer.GetType().Name}; add a LayerCodec<{layer.GetType().Name}> to a registered assembly.", nameof(layer));
        var json = new JsonObject { ["type"] = codec.Name };
        foreach (var (key, value) in codec.Encode(layer)) json[key] = value?.DeepClone();
        return json;
    }

    /// <summary>The stored form of every layer, input side first.</summary>
    /// <param name="network">The network.</param>
    /// <param name="codecs">Where the codecs are found (default: the built-in codecs).</param>
    public static JsonArray Encode(Network network, Registry<LayerCodec>? codecs = null) =>
        new(network.Layers.Select(l => (JsonNode?)Encode(l, codecs)).ToArray());

    /// <summary>The layer a stored form describes, its parameters zero.</summary>
    /// <param name="spec">A layer's stored form, with a <c>type</c>.</param>
    /// <param name="activations">Where activation names are looked up (default: the built-ins).</param>
    /// <param name="codecs">Where the type is looked up (default: the built-in codecs).</param>
    /// <exception cref="FormatException">The form is malformed, names an unknown type, or describes an invalid layer.</exception>
    public static Layer Decode(JsonObject spec, Registry<Activation>? activations = null, Registry<LayerCodec>? codecs = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        codecs ??= Registry<LayerCodec>.Builtin;
        var settings = new LayerSettings(spec, activations ?? Registry<Activation>.Builtin);
        string type = settings.String("type");
        if (!codecs.Names.Contains(type))
            throw new FormatException($"Unknown layer type '{type}'; expected one of: {string.Join(", ", codecs.Names)}.");
        try { return codecs.Get(type).Decode(settings); }
        catch (ArgumentException e) { throw new FormatException($"Invalid {type} layer: {Hyperparameters.Reason(e)}", e); }
    }

    /// <summary>The layers a stored list describes, checked to connect.</summary>
    /// <param name="topology">The list.</param>
    /// <param name="activations">Where activation names are looked up (default: the built-ins).</param>
    /// <param name="codecs">Where layer types are looked up (default: the built-in codecs).</param>
    /// <exception cref="FormatException">The list is empty, too long, or an entry is invalid; consecutive layers do not connect.</exception>
    public static Network Decode(JsonArray topology, Registry<Activation>? activations = null, Registry<LayerCodec>? codecs = null)
    {
        ArgumentNullException.ThrowIfNull(topology);
        if (topology.Count == 0 || topology.Count > MaxLayers)
            throw new FormatException($"The topology has {topology.Count} layers; a model has between 1 and {MaxLayers}.");
        var layers = topology.Select((spec, l) => spec is JsonObject json
            ? Decode(json, activations, codecs)
            : throw new FormatException($"Topology entry {l} must be an object, but is {spec?.ToJsonString() ?? "null"}.")).ToList();
        try { return new Network(layers); }
        catch (ArgumentException e) { throw new FormatException(Hyperparameters.Reason(e), e); }
    }
}
