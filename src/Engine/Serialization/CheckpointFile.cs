using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Engine.Optimizers;
using Engine.Schedules;
using Engine.Training;

namespace Engine.Serialization;

/// <summary>
/// Checkpoint files: a <see cref="TrainingCheckpoint"/> as safetensors, written atomically, with tensors
/// <c>parameters/{name}</c>, <c>optimizer/{name}</c> (the optimizer's buffers and step counts, PyTorch's names) and
/// <c>best/{name}</c> (early stopping's best parameters), and in <c>__metadata__</c> the settings
/// (<see cref="TrainingOptionsCodec"/>), the epochs done and early stopping's counters, plus the caller's own entries.
/// Reading checks the header against the file's length before allocating (<see cref="SafeTensors.ReadHeader"/>); the tensors
/// are checked against the network when the run is resumed (<see cref="TrainingRun.Resume"/>).
/// </summary>
public static class CheckpointFile
{
    private const string Format = "verify-nn-checkpoint/1";
    private const string TrainingKey = "training";

    /// <summary>Writes a checkpoint atomically: a failed write leaves any previous checkpoint intact.</summary>
    /// <param name="path">The file.</param>
    /// <param name="checkpoint">The run's state.</param>
    /// <param name="metadata">Further string entries (what the caller needs to rebuild the run).</param>
    public static void Save(string path, TrainingCheckpoint checkpoint, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        var entries = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>())
        {
            ["format"] = Format,
            [TrainingKey] = new JsonObject
            {
                ["options"] = TrainingOptionsCodec.Encode(checkpoint.Options),
                ["epochs_done"] = checkpoint.EpochsDone,
                ["stopped"] = checkpoint.Stopped,
                ["best_validation_loss"] = TrainingOptionsCodec.Format(checkpoint.BestValidationLoss),
                ["epochs_without_improvement"] = checkpoint.EpochsWithoutImprovement,
            }.ToJsonString(),
        };
        var tensors = checkpoint.Parameters.Select(t => t with { Name = "parameters/" + t.Name })
            .Concat(checkpoint.OptimizerState.Select(t => t with { Name = "optimizer/" + t.Name }))
            .Concat(checkpoint.BestParameters.Select(t => t with { Name = "best/" + t.Name }))
            .ToList();
        AtomicFile.Write(path, stream => SafeTensors.Write(stream, tensors, entries));
    }

    /// <summary>Reads a checkpoint file.</summary>
    /// <param name="path">The file.</param>
    /// <param name="optimizers">Where the optimizer's name is looked up (default: the built-ins).</param>
    /// <param name="schedules">Where the schedule's name is looked up (default: the built-ins).</param>
    /// <returns>The run's state and every metadata entry.</returns>
    /// <exception cref="ModelFormatException">The file is not a valid checkpoint; the message says what is wrong.</exception>
    public static (TrainingCheckpoint Checkpoint, IReadOnlyDictionary<string, string> Metadata) Load(string path, Registry<Optimizer>? optimizers = null,
        Registry<Schedule>? schedules = null)
    {
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        var header = SafeTensors.ReadHeader(file);
        var metadata = header.Metadata;
        if (!metadata.TryGetValue("format", out var format) || format != Format)
            throw new ModelFormatException($"The metadata does not declare format {Format} (found {(format is null ? "none" : $"'{format}'")}).");
        JsonObject training;
        TrainingOptions options;
        try
        {
            training = JsonNode.Parse(metadata.GetValueOrDefault(TrainingKey) ?? "null") as JsonObject ?? throw new FormatException("The metadata has no training state.");
            options = TrainingOptionsCodec.Decode(training["options"], optimizers, schedules);
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException or InvalidOperationException)
        {
            throw new ModelFormatException($"The training state is invalid: {e.Message}", e);
        }
        int Whole(string name) => training[name] is JsonValue v && v.TryGetValue(out int i) && i >= 0
            ? i : throw new ModelFormatException($"The training state's '{name}' must be a whole number ≥ 0, but is {training[name]?.ToJsonString() ?? "missing"}.");
        double bestLoss = training["best_validation_loss"] is JsonValue b && b.TryGetValue(out string? text)
                          && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) && !double.IsNaN(parsed)
            ? parsed : throw new ModelFormatException("The training state's 'best_validation_loss' must be a number.");
        bool stopped = training["stopped"] is JsonValue s && s.TryGetValue(out bool flag) ? flag : throw new ModelFormatException("The training state's 'stopped' must be true or false.");
        long bytes = 8L * header.Entries.Sum(e => (long)e.Count);
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (bytes > available) throw new ModelFormatException($"The checkpoint's {bytes} bytes of tensors exceed the {available} bytes of memory available.");
        var parameters = new List<Tensor>();
        var optimizer = new List<Tensor>();
        var best = new List<Tensor>();
        foreach (var entry in header.Entries)
        {
            int slash = entry.Name.IndexOf('/');
            var group = (slash < 0 ? "" : entry.Name[..slash]) switch
            {
                "parameters" => parameters,
                "optimizer" => optimizer,
                "best" => best,
                _ => throw new ModelFormatException($"Tensor '{entry.Name}' is not a parameter, optimizer state or best parameter of a checkpoint."),
            };
            var values = new double[entry.Count];
            SafeTensors.ReadValues(file, header, entry, values);
            group.Add(new Tensor(entry.Name[(slash + 1)..], entry.Shape, values));
        }
        var checkpoint = new TrainingCheckpoint(options, Whole("epochs_done"), stopped, parameters, optimizer, bestLoss, Whole("epochs_without_improvement"), best);
        return (checkpoint, metadata);
    }
}
