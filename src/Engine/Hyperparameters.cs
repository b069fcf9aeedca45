using System.Globalization;
using System.Reflection;

namespace Engine;

/// <summary>
/// Declares a constructor parameter of an activation, loss or optimizer a hyperparameter. Model files store it by name, and
/// the verification suite draws it from [<see cref="Min"/>, <see cref="Max"/>] (every value of an enum, both values of a bool),
/// so every setting users can choose is verified, not only the default.
/// </summary>
/// <remarks>
/// The range is where the suite draws, inside the valid domain the constructor enforces: Huber's δ is valid on (0, ∞) and
/// drawn from [0.1, 5]. The parameter must be exposed by a public property of the same name (<c>negativeSlope</c> →
/// <c>NegativeSlope</c>), so a value can be read back, stored and compared.
/// </remarks>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class HyperparameterAttribute : Attribute
{
    /// <summary>An enum or bool hyperparameter: every value is drawn.</summary>
    public HyperparameterAttribute() : this(double.NaN, double.NaN) { }

    /// <summary>A numeric hyperparameter drawn from [<paramref name="min"/>, <paramref name="max"/>].</summary>
    /// <param name="min">The smallest value drawn.</param>
    /// <param name="max">The largest value drawn.</param>
    public HyperparameterAttribute(double min, double max) => (Min, Max) = (min, max);

    /// <summary>The smallest value drawn (NaN for enums and bools).</summary>
    public double Min { get; }

    /// <summary>The largest value drawn (NaN for enums and bools).</summary>
    public double Max { get; }
}

/// <summary>One hyperparameter of a type: its name, value type, drawing range and where to read it.</summary>
/// <param name="Name">The constructor parameter's name, as stored in model files (e.g. <c>negativeSlope</c>).</param>
/// <param name="Type">double, int, bool or an enum.</param>
/// <param name="Min">The smallest value drawn (NaN for enums and bools).</param>
/// <param name="Max">The largest value drawn (NaN for enums and bools).</param>
/// <param name="Property">The public property that exposes the value.</param>
public sealed record Hyperparameter(string Name, Type Type, double Min, double Max, PropertyInfo Property)
{
    /// <summary>The value <paramref name="instance"/> holds.</summary>
    /// <param name="instance">An instance of the declaring type.</param>
    public object Read(object instance) => Property.GetValue(instance)!;

    /// <summary>The value as text: invariant round-trip numbers, enum names, <c>true</c>/<c>false</c>.</summary>
    /// <param name="value">A value of <see cref="Type"/>.</param>
    public static string Format(object value) => value switch
    {
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString()!,
    };
}

/// <summary>
/// The hyperparameters of activations, losses and optimizers, found by reflection on the <em>defining constructor</em>: the public
/// constructor with the most parameters, each marked <see cref="HyperparameterAttribute"/>. One mechanism serves the model files
/// (store and rebuild), the command line (parse by name) and the suite (draw every one).
/// </summary>
public static class Hyperparameters
{
    /// <summary>The hyperparameters of <paramref name="type"/>, in constructor order (none for a type with only a parameterless constructor).</summary>
    /// <param name="type">An activation, loss or optimizer type.</param>
    /// <exception cref="InvalidOperationException">A parameter lacks the attribute, a same-named property, or has an unsupported type.</exception>
    public static IReadOnlyList<Hyperparameter> Of(Type type)
    {
        ArgumentNullException.ThrowIfNull(type);
        return DefiningConstructor(type).GetParameters().Select(parameter =>
        {
            var attribute = parameter.GetCustomAttribute<HyperparameterAttribute>()
                            ?? throw new InvalidOperationException($"{type.Name}'s constructor parameter '{parameter.Name}' is not marked [Hyperparameter].");
            var property = type.GetProperty(char.ToUpperInvariant(parameter.Name![0]) + parameter.Name[1..], BindingFlags.Public | BindingFlags.Instance);
            if (property is null || property.PropertyType != parameter.ParameterType)
                throw new InvalidOperationException($"{type.Name} must expose its hyperparameter '{parameter.Name}' as a public property of the same name and type.");
            var valueType = parameter.ParameterType;
            bool numeric = valueType == typeof(double) || valueType == typeof(int);
            if (!numeric && valueType != typeof(bool) && !valueType.IsEnum)
                throw new InvalidOperationException($"{type.Name}'s hyperparameter '{parameter.Name}' is a {valueType.Name}; only double, int, bool and enums are supported.");
            if (numeric && !(attribute.Min <= attribute.Max))
                throw new InvalidOperationException($"{type.Name}'s hyperparameter '{parameter.Name}' needs a range [Min, Max].");
            return new Hyperparameter(parameter.Name, valueType, attribute.Min, attribute.Max, property);
        }).ToArray();
    }

    /// <summary>Every hyperparameter of <paramref name="instance"/> with its value, in constructor order.</summary>
    /// <param name="instance">An activation, loss or optimizer.</param>
    public static IReadOnlyList<(Hyperparameter Parameter, object Value)> ValuesOf(object instance)
    {
        ArgumentNullException.ThrowIfNull(instance);
        return Of(instance.GetType()).Select(h => (h, h.Read(instance))).ToArray();
    }

    /// <summary>The name with every hyperparameter, e.g. <c>adam(beta1=0.9, beta2=0.999, …)</c>; the bare name when it has none.</summary>
    /// <param name="component">An activation, loss, optimizer or schedule.</param>
    public static string Summarize(INamed component)
    {
        var values = ValuesOf(component);
        return values.Count == 0 ? component.Name
            : $"{component.Name}({string.Join(", ", values.Select(h => $"{h.Parameter.Name}={Hyperparameter.Format(h.Value)}"))})";
    }

    /// <summary>
    /// An instance of <paramref name="type"/> with the given hyperparameters by name (text as <see cref="Hyperparameter.Format"/>
    /// writes it); those not given keep the value of <paramref name="defaults"/>.
    /// </summary>
    /// <param name="type">The type.</param>
    /// <param name="defaults">An instance holding the default values (the registry's).</param>
    /// <param name="values">Hyperparameter values by name.</param>
    /// <exception cref="ArgumentException">A name is unknown or a value does not parse or is out of the constructor's domain; the message names it.</exception>
    public static T Create<T>(Type type, T defaults, IReadOnlyDictionary<string, string> values) where T : class
    {
        ArgumentNullException.ThrowIfNull(values);
        var parameters = Of(type);
        if (values.Keys.FirstOrDefault(name => parameters.All(h => h.Name != name)) is { } unknown)
            throw new ArgumentException(
                $"{type.Name} has no hyperparameter '{unknown}'; it has {(parameters.Count == 0 ? "none" : string.Join(", ", parameters.Select(h => h.Name)))}.", nameof(values));
        var arguments = parameters.Select(h => values.TryGetValue(h.Name, out var text) ? Parse(type, h, text) : h.Read(defaults)).ToArray();
        try
        {
            return (T)DefiningConstructor(type).Invoke(arguments);
        }
        catch (TargetInvocationException e) when (e.InnerException is ArgumentException inner)
        {
            throw new ArgumentException($"{type.Name}: {Reason(inner)}", nameof(values), inner);
        }
    }

    /// <summary>
    /// An argument exception's own sentence on one line, for a message that wraps it or a user who never saw the code: .NET
    /// appends " (Parameter 'x')" (and, out of range, a line with the actual value) to the message; here the suffix is
    /// dropped and an actual value is said as ", but is v.".
    /// </summary>
    /// <param name="inner">The exception.</param>
    public static string Reason(ArgumentException inner)
    {
        string message = inner.Message;
        int suffix = inner.ParamName is { } name ? message.IndexOf($" (Parameter '{name}')", StringComparison.Ordinal) : -1;
        if (suffix >= 0) message = message[..suffix];
        return inner is ArgumentOutOfRangeException { ActualValue: { } actual } ? $"{message.TrimEnd('.')}, but is {Hyperparameter.Format(actual)}." : message;
    }

    private static object Parse(Type type, Hyperparameter h, string text)
    {
        object? value = null;
        if (h.Type == typeof(double) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double d)) value = d;
        else if (h.Type == typeof(int) && int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int i)) value = i;
        else if (h.Type == typeof(bool) && text is "true" or "false") value = text == "true";
        else if (h.Type.IsEnum && Enum.GetNames(h.Type).FirstOrDefault(n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase)) is { } name)
            value = Enum.Parse(h.Type, name);
        return value ?? throw new ArgumentException(
            $"{type.Name}'s hyperparameter '{h.Name}' must be {Describe(h.Type)}, but is '{text}'.", h.Name);
    }

    private static string Describe(Type type) =>
        type == typeof(double) ? "a number" : type == typeof(int) ? "an integer" : type == typeof(bool) ? "true or false"
            : "one of " + string.Join(", ", Enum.GetNames(type));

    private static ConstructorInfo DefiningConstructor(Type type) =>
        type.GetConstructors().MaxBy(c => c.GetParameters().Length)
        ?? throw new InvalidOperationException($"{type.Name} has no public constructor.");
}
