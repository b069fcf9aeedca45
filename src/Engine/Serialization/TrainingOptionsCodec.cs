using System.Globalization;
using System.Text.Json.Nodes;
using Engine.Optimizers;
using Engine.Schedules;
using Engine.Training;

namespace Engine.Serialization;

/// <summary>
/// <see cref="TrainingOptions"/> as a model file's or a checkpoint's metadata stores them: one JSON object with the optimizer and
/// the schedule as <see cref="Components"/> (name and every hyperparameter), so a run's settings can be read back exactly.
/// </summary>
public static class TrainingOptionsCodec
{
    /// <summary>The stored form.</summary>
    /// <param name="options">The settings.</param>
    public static JsonObject Encode(TrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new JsonObject
        {
            ["optimizer"] = Components.Encode(options.Optimizer),
            ["schedule"] = Components.Encode(options.Schedule),
            ["learning_rate"] = options.LearningRate,
            ["batch_size"] = options.BatchSize,
            ["epochs"] = options.Epochs,
            ["seed"] = options.Seed,
            ["shuffle"] = options.Shuffle,
            ["max_gradient_norm"] = options.MaxGradientNorm is { } norm ? JsonValue.Create(norm) : null,
            ["validation_fraction"] = options.ValidationFraction,
            ["patience"] = options.Patience,
            ["min_improvement"] = options.MinImprovement,
        };
    }

    /// <summary>The settings a stored form describes, validated.</summary>
    /// <param name="node">The stored form.</param>
    /// <param name="optimizers">Where the optimizer's name is looked up (default: the built-ins).</param>
    /// <param name="schedules">Where the schedule's name is looked up (default: the built-ins).</param>
    /// <exception cref="FormatException">A setting is missing, malformed or invalid; the message names it.</exception>
    public static TrainingOptions Decode(JsonNode? node, Registry<Optimizer>? optimizers = null, Registry<Schedule>? schedules = null)
    {
        if (node is not JsonObject json) throw new FormatException($"The training settings must be an object, but are {node?.ToJsonString() ?? "missing"}.");
        double Number(string name) =>
            json[name] is JsonValue v && v.TryGetValue(out double d) ? d : throw new FormatException($"Training setting '{name}' must be a number, but is {json[name]?.ToJsonString() ?? "missing"}.");
        int Whole(string name) =>
            json[name] is JsonValue v && v.TryGetValue(out int i) ? i : throw new FormatException($"Training setting '{name}' must be a whole number, but is {json[name]?.ToJsonString() ?? "missing"}.");
        var options = new TrainingOptions
        {
            Optimizer = Components.Decode(json["optimizer"], optimizers ?? Registry<Optimizer>.Builtin, "Training setting 'optimizer'"),
            Schedule = Components.Decode(json["schedule"], schedules ?? Registry<Schedule>.Builtin, "Training setting 'schedule'"),
            LearningRate = Number("learning_rate"),
            BatchSize = Whole("batch_size"),
            Epochs = Whole("epochs"),
            Seed = Whole("seed"),
            Shuffle = json["shuffle"] is JsonValue s && s.TryGetValue(out bool shuffle) ? shuffle : throw new FormatException("Training setting 'shuffle' must be true or false."),
            MaxGradientNorm = json["max_gradient_norm"] is null ? null : Number("max_gradient_norm"),
            ValidationFraction = Number("validation_fraction"),
            Patience = Whole("patience"),
            MinImprovement = Number("min_improvement"),
        };
        try { options.Validate(); }
        catch (ArgumentException e) { throw new FormatException($"The training settings are invalid: {Hyperparameters.Reason(e)}", e); }
        return options;
    }

    /// <summary>A double as metadata text, round-trip, infinities included.</summary>
    internal static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
