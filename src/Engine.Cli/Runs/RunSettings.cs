using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Engine.Cli.Commands;
using Engine.Cli.Inputs;
using Spectre.Console.Cli;

namespace Engine.Cli.Runs;

/// <summary>
/// A run's <c>nn train</c> options as its checkpoint stores them, so that <c>--resume</c> prepares the same run: every option
/// by its property, file paths made absolute; the options that only say where and how fast to run and what to print
/// (<c>--out</c>, <c>--overwrite</c>, <c>--threads</c>, <c>--checkpoint-every</c>, <c>--format</c>, <c>--verbose</c>,
/// <c>--resume</c>) are not stored.
/// </summary>
public static class RunSettings
{
    private static readonly string[] NotStored = [nameof(TrainCommand.Settings.Resume), nameof(TrainCommand.Settings.Out), nameof(TrainCommand.Settings.Overwrite),
        nameof(TrainCommand.Settings.Threads), nameof(TrainCommand.Settings.CheckpointEvery), nameof(TrainCommand.Settings.Verbose), nameof(TrainCommand.Settings.Format)];

    private static readonly string[] Paths = [nameof(TrainCommand.Settings.Labels), nameof(TrainCommand.Settings.TestData), nameof(TrainCommand.Settings.TestLabels)];

    /// <summary>The options of <c>nn train</c> that may accompany <c>--resume</c>.</summary>
    private static readonly string[] WithResume = [nameof(TrainCommand.Settings.Resume), nameof(TrainCommand.Settings.Epochs),
        nameof(TrainCommand.Settings.Threads), nameof(TrainCommand.Settings.CheckpointEvery), nameof(TrainCommand.Settings.Verbose), nameof(TrainCommand.Settings.Format)];

    private static IEnumerable<(PropertyInfo Property, string Option)> Options() =>
        typeof(TrainCommand.Settings).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Property: p, Attribute: p.GetCustomAttribute<CommandOptionAttribute>()))
            .Where(o => o.Attribute is not null)
            .Select(o => (o.Property, "--" + o.Attribute!.LongNames[0]));

    /// <summary>The stored form.</summary>
    /// <param name="settings">The command line of a new run.</param>
    public static string Encode(TrainCommand.Settings settings)
    {
        var json = new JsonObject();
        foreach (var (property, _) in Options().Where(o => !NotStored.Contains(o.Property.Name)))
        {
            object? value = property.GetValue(settings);
            if (value is string path && (Paths.Contains(property.Name) || property.Name == nameof(TrainCommand.Settings.Data) && !DataSource.Embedded.ContainsKey(path)))
                value = Path.GetFullPath(path);
            json[property.Name] = value is null ? null : JsonSerializer.SerializeToNode(value, property.PropertyType);
        }
        return json.ToJsonString();
    }

    /// <summary>The stored run's settings, with the given run-only options (threads, checkpoints), a new <c>--epochs</c> if given, and its folder.</summary>
    /// <param name="stored">What <see cref="Encode"/> wrote.</param>
    /// <param name="given">The <c>--resume</c> command line.</param>
    /// <param name="folder">The run's folder.</param>
    public static TrainCommand.Settings Decode(string stored, TrainCommand.Settings given, string folder)
    {
        var settings = new TrainCommand.Settings();
        try
        {
            var json = JsonNode.Parse(stored) as JsonObject ?? throw new JsonException("not an object");
            foreach (var (property, _) in Options())
            {
                if (NotStored.Contains(property.Name)) property.SetValue(settings, property.GetValue(given));
                else if (json[property.Name] is { } value) property.SetValue(settings, value.Deserialize(property.PropertyType));
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or NotSupportedException or ArgumentException)
        {
            throw new BadInputException($"--resume '{folder}': the checkpoint's settings are invalid ({e.Message}).", e);
        }
        if (given.Epochs is not null) typeof(TrainCommand.Settings).GetProperty(nameof(TrainCommand.Settings.Epochs))!.SetValue(settings, given.Epochs);
        typeof(TrainCommand.Settings).GetProperty(nameof(TrainCommand.Settings.Out))!.SetValue(settings, folder);
        typeof(TrainCommand.Settings).GetProperty(nameof(TrainCommand.Settings.Resume))!.SetValue(settings, null);
        return settings;
    }

    /// <summary>The options given beside <c>--resume</c> that may not be.</summary>
    /// <param name="settings">The command line.</param>
    public static IEnumerable<string> GivenBesidesResume(TrainCommand.Settings settings) =>
        Options().Where(o => !WithResume.Contains(o.Property.Name) && o.Property.GetValue(settings) is not (null or false)).Select(o => o.Option);
}
