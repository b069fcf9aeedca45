using System.Text.Json.Nodes;

namespace Engine.Serialization;

/// <summary>
/// How a registered component (an activation, a loss, an optimizer) is stored in a model file: its name when it has no
/// hyperparameters, else <c>{"name": …, hyperparameter: value, …}</c> with every hyperparameter written out
/// (<see cref="Hyperparameters"/>).
/// </summary>
public static class Components
{
    /// <summary>The stored form of <paramref name="component"/>.</summary>
    /// <param name="component">An activation, loss or optimizer.</param>
    public static JsonNode Encode(INamed component)
    {
        var values = Hyperparameters.ValuesOf(component);
        if (values.Count == 0) return JsonValue.Create(component.Name);
        var json = new JsonObject { ["name"] = component.Name };
        foreach (var (parameter, value) in values)
            json[parameter.Name] = value switch
            {
                double d => JsonValue.Create(d),
                int i => JsonValue.Create(i),
                bool b => JsonValue.Create(b),
                _ => JsonValue.Create(Hyperparameter.Format(value)),
            };
        return json;
    }

    /// <summary>The component a stored form describes.</summary>
    /// <param name="node">A name, or an object with a name and hyperparameters.</param>
    /// <param name="registry">Where the name is looked up.</param>
    /// <param name="what">What holds it, for messages (e.g. <c>Layer setting 'activation'</c>).</param>
    /// <exception cref="FormatException">The form is malformed, or names an unknown component or hyperparameter.</exception>
    public static T Decode<T>(JsonNode? node, Registry<T> registry, string what) where T : class, INamed
    {
        try
        {
            if (node is JsonValue value && value.TryGetValue(out string? name)) return registry.Get(name);
            if (node is JsonObject json && json["name"] is JsonValue nameValue && nameValue.TryGetValue(out string? objectName))
            {
                var hyperparameters = json.Where(p => p.Key != "name").ToDictionary(p => p.Key, p => p.Value switch
                {
                    JsonValue v when v.TryGetValue(out string? text) => text,
                    JsonValue v => v.ToJsonString(),
                    _ => throw new FormatException($"{what}: hyperparameter '{p.Key}' must be a number, a bool or a string, but is {p.Value?.ToJsonString() ?? "null"}."),
                });
                return registry.Create(objectName, hyperparameters);
            }
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"{what}: {Hyperparameters.Reason(e)}", e);
        }
        throw new FormatException($"{what} must be a name or an object with a name, but is {node?.ToJsonString() ?? "missing"}.");
    }
}
