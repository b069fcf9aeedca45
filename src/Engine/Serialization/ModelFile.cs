using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Engine.Activations;
using Engine.Data;
using Engine.Losses;
using Engine.Networks;

namespace Engine.Serialization;

/// <summary>A network read from a model file, with what was saved beside it.</summary>
/// <param name="Network">The network, parameters loaded.</param>
/// <param name="Loss">The loss it was trained with, if saved.</param>
/// <param name="Standardizer">The input standardization fitted on its training data, if saved.</param>
/// <param name="Metadata">Every metadata entry of the file.</param>
/// <param name="Classes">The classes of a classifier, whose names predictions print; null for regression or when not saved.</param>
public sealed record Model(Network Network, Loss? Loss, Standardizer? Standardizer, IReadOnlyDictionary<string, string> Metadata, Classes? Classes = null);

/// <summary>
/// Model files: safetensors (<see cref="SafeTensors"/>) with tensors <c>layers.{l}.{parameter}</c> and, if fitted,
/// <c>standardizer.mean</c> and <c>standardizer.std</c>; the topology (<see cref="Topology"/>), the loss
/// (<see cref="Components"/>) and a classifier's classes (<c>{"labels": "indices" | "names", "names": […]}</c>) in
/// <c>__metadata__</c>. PyTorch's safetensors loader reads the weights as float64 tensors.
/// </summary>
public static class ModelFile
{
    private const string Format = "verify-nn/1";

    /// <summary>The metadata key of a classifier's classes.</summary>
    public const string ClassesKey = "classes";

    /// <summary>Saves a model atomically (see the other overload), its classes included.</summary>
    /// <param name="path">The model file.</param>
    /// <param name="model">The network and what is saved beside it; <see cref="Model.Metadata"/> holds further string entries.</param>
    public static void Save(string path, Model model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Save(path, model.Network, model.Loss, model.Standardizer, WithClasses(model.Metadata, model.Classes, model.Network), stream => stream);
    }

    /// <summary>The metadata with the classes' entry added.</summary>
    private static IReadOnlyDictionary<string, string> WithClasses(IReadOnlyDictionary<string, string> metadata, Classes? classes, Network network)
    {
        if (classes is null) return metadata;
        if (!FitsOutputs(classes.Count, network.OutputSize))
            throw new ArgumentException($"{classes.Count} classes need {classes.Count} outputs{(classes.Count == 2 ? " or 1" : "")}, but the network has {network.OutputSize}.", nameof(classes));
        var entries = new Dictionary<string, string>(metadata)
        {
            [ClassesKey] = new JsonObject
            {
                ["labels"] = classes.IndexedLabels ? "indices" : "names",
                ["names"] = new JsonArray(classes.Names.Select(n => (JsonNode?)n).ToArray()),
            }.ToJsonString(),
        };
        return entries;
    }

    private static bool FitsOutputs(int classes, int outputs) => outputs == classes || outputs == 1 && classes == 2;

    private static Classes? ReadClasses(IReadOnlyDictionary<string, string> metadata, Network network)
    {
        if (!metadata.TryGetValue(ClassesKey, out var text)) return null;
        try
        {
            if (JsonNode.Parse(text) is JsonObject json && json["labels"] is JsonValue labels && labels.TryGetValue(out string? kind) && kind is "indices" or "names"
                && json["names"] is JsonArray names)
            {
                var list = names.Select(n => n is JsonValue v && v.TryGetValue(out string? name) ? name : throw new FormatException("a class name is not a string")).ToArray();
                if (!FitsOutputs(list.Length, network.OutputSize))
                    throw new ModelFormatException($"The metadata names {list.Length} classes for a network of {network.OutputSize} outputs.");
                return new Classes(list, kind == "indices");
            }
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException)
        {
            throw new ModelFormatException($"The metadata's classes are invalid: {e.Message}", e);
        }
        throw new ModelFormatException("The metadata's classes must be {\"labels\": \"indices\" or \"names\", \"names\": [one string per class]}.");
    }

    /// <summary>
    /// Saves atomically: the file is written beside <paramref name="path"/> under a temporary name, then renamed over it, so a save
    /// that fails midway leaves any previous file intact and no temporary file behind.
    /// </summary>
    /// <param name="path">The model file.</param>
    /// <param name="network">The network.</param>
    /// <param name="loss">The loss it was trained with.</param>
    /// <param name="standardizer">The input standardization, if any.</param>
    /// <param name="metadata">Further string entries (e.g. the data set's name).</param>
    public static void Save(string path, Network network, Loss? loss = null, Standardizer? standardizer = null,
        IReadOnlyDictionary<string, string>? metadata = null) =>
        Save(path, network, loss, standardizer, metadata, stream => stream);

    /// <summary>As the public overload, writing through <paramref name="wrap"/> (tests wrap a stream that fails).</summary>
    internal static void Save(string path, Network network, Loss? loss, Standardizer? standardizer,
        IReadOnlyDictionary<string, string>? metadata, Func<Stream, Stream> wrap)
    {
        ArgumentNullException.ThrowIfNull(network);
        AtomicFile.Write(path, file =>
        {
            var stream = wrap(file);
            Write(stream, network, loss, standardizer, metadata);
            stream.Flush();
        });
    }

    /// <summary>Writes a model to a stream.</summary>
    /// <param name="stream">The destination.</param>
    /// <param name="network">The network.</param>
    /// <param name="loss">The loss it was trained with.</param>
    /// <param name="standardizer">The input standardization, if any.</param>
    /// <param name="metadata">Further string entries.</param>
    public static void Write(Stream stream, Network network, Loss? loss = null, Standardizer? standardizer = null,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        var entries = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>())
        {
            ["format"] = Format,
            ["topology"] = Topology.Encode(network).ToJsonString(),
        };
        if (loss is not null) entries["loss"] = Components.Encode(loss) is JsonObject json ? json.ToJsonString() : loss.Name;
        var tensors = new List<Tensor>();
        for (int l = 0; l < network.Layers.Count; l++)
            foreach (var parameter in network.Layers[l].Parameters)
                tensors.Add(new Tensor($"layers.{l}.{parameter.Name}", [.. parameter.Shape], parameter.Values));
        if (standardizer is not null)
        {
            tensors.Add(new Tensor("standardizer.mean", [standardizer.Means.Length], standardizer.Means));
            tensors.Add(new Tensor("standardizer.std", [standardizer.Deviations.Length], standardizer.Deviations));
        }
        SafeTensors.Write(stream, tensors, entries);
    }

    /// <summary>Loads a model file, reading each tensor straight into its parameter once the whole file has been validated.</summary>
    /// <param name="path">The file.</param>
    /// <param name="activations">Where activation names are looked up (default: the built-ins).</param>
    /// <param name="losses">Where the loss name is looked up (default: the built-ins).</param>
    /// <exception cref="ModelFormatException">The file is truncated, corrupted or not a model; the message says what is wrong.</exception>
    public static Model Load(string path, Registry<Activation>? activations = null, Registry<Loss>? losses = null)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        return Read(file, activations, losses);
    }

    /// <summary>Reads a model from a file's bytes.</summary>
    /// <param name="file">The bytes.</param>
    /// <param name="activations">Where activation names are looked up (default: the built-ins).</param>
    /// <param name="losses">Where the loss name is looked up (default: the built-ins).</param>
    /// <exception cref="ModelFormatException">The bytes are not a valid model.</exception>
    public static Model Read(ReadOnlySpan<byte> file, Registry<Activation>? activations = null, Registry<Loss>? losses = null)
    {
        using var stream = new MemoryStream(file.ToArray(), writable: false);
        return Read(stream, activations, losses);
    }

    /// <summary>
    /// Reads a model from a seekable stream. Nothing is allocated for a parameter until the whole file checks out: the header
    /// (<see cref="SafeTensors.ReadHeader"/>, against the stream's length), the format, the topology (whose layers allocate
    /// their parameters lazily), every tensor's name and shape against the parameter the topology declares, the standardizer's
    /// shapes, and the memory the parameters need against what the process has. Then each tensor is read into its parameter
    /// and checked to be finite.
    /// </summary>
    /// <param name="stream">The file, at its start.</param>
    /// <param name="activations">Where activation names are looked up (default: the built-ins).</param>
    /// <param name="losses">Where the loss name is looked up (default: the built-ins).</param>
    /// <exception cref="ModelFormatException">The stream does not hold a valid model; the message says what is wrong.</exception>
    public static Model Read(Stream stream, Registry<Activation>? activations = null, Registry<Loss>? losses = null)
    {
        activations ??= Registry<Activation>.Builtin;
        losses ??= Registry<Loss>.Builtin;
        var header = SafeTensors.ReadHeader(stream);
        var metadata = header.Metadata;
        if (!metadata.TryGetValue("format", out var format) || format != Format)
            throw new ModelFormatException($"The metadata does not declare format {Format} (found {(format is null ? "none" : $"'{format}'")}).");
        var byName = header.Entries.ToDictionary(t => t.Name);
        Network network;
        try
        {
            var topology = JsonNode.Parse(metadata.GetValueOrDefault("topology") ?? "null") as JsonArray
                           ?? throw new ModelFormatException("The metadata has no topology list.");
            network = Topology.Decode(topology, activations);
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
        {
            throw new ModelFormatException($"The topology is invalid: {e.Message}", e);
        }
        var reads = new List<(TensorEntry Entry, Func<double[]> Destination)>();
        for (int l = 0; l < network.Layers.Count; l++)
            foreach (var parameter in network.Layers[l].Parameters)
            {
                string name = $"layers.{l}.{parameter.Name}";
                if (!byName.TryGetValue(name, out var entry))
                    throw new ModelFormatException($"Tensor '{name}' is missing.");
                if (!entry.Shape.SequenceEqual(parameter.Shape))
                    throw new ModelFormatException($"Tensor '{name}' has shape [{string.Join(", ", entry.Shape)}], but the topology needs [{string.Join(", ", parameter.Shape)}].");
                reads.Add((entry, () => parameter.Values));
            }
        bool hasMean = byName.TryGetValue("standardizer.mean", out var mean), hasStd = byName.TryGetValue("standardizer.std", out var std);
        double[]? means = null, deviations = null;
        if (hasMean && hasStd)
        {
            if (mean!.Count != network.InputSize || std!.Count != network.InputSize)
                throw new ModelFormatException($"The standardizer has {mean.Count} means and {std!.Count} deviations for {network.InputSize} inputs.");
            reads.Add((mean, () => means = new double[network.InputSize]));
            reads.Add((std, () => deviations = new double[network.InputSize]));
        }
        var unexpected = byName.Keys.Where(k => !reads.Any(r => r.Entry.Name == k)).ToList();
        if (unexpected.Count > 0) throw new ModelFormatException($"Unexpected tensors: {string.Join(", ", unexpected)}.");
        long bytes = 8L * reads.Sum(r => (long)r.Entry.Count);
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (bytes > available)
            throw new ModelFormatException($"The model's {bytes} bytes of parameters exceed the {available} bytes of memory available.");
        foreach (var (entry, destination) in reads)
        {
            var values = destination();
            SafeTensors.ReadValues(stream, header, entry, values);
            int bad = Kernels.VectorOps.IndexOfNonFinite(values);
            if (bad >= 0) throw new ModelFormatException($"Tensor '{entry.Name}' holds {values[bad]} at index {bad}; {(entry.Name.StartsWith("layers.", StringComparison.Ordinal) ? "parameters" : "the standardizer's values")} must be finite.");
        }
        Standardizer? standardizer = null;
        if (means is not null && deviations is not null)
        {
            try { standardizer = new Standardizer(means, deviations); }
            catch (ArgumentException e) { throw new ModelFormatException($"The standardizer is invalid: {Hyperparameters.Reason(e)}", e); }
        }
        Loss? loss = null;
        if (metadata.TryGetValue("loss", out var lossText))
        {
            // A loss without hyperparameters is stored as its bare name, which is not JSON; older files store every loss so.
            try { loss = Components.Decode(lossText.StartsWith('{') ? JsonNode.Parse(lossText) : JsonValue.Create(lossText), losses, "The loss"); }
            catch (Exception e) when (e is JsonException or FormatException) { throw new ModelFormatException(e.Message, e); }
        }
        return new Model(network, loss, standardizer, metadata, ReadClasses(metadata, network));
    }
}
