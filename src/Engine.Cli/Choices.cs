using System.Globalization;

namespace Engine.Cli;

/// <summary>Checks of option values that name the option as typed: <c>--lr must be positive and finite, but is 0</c>.</summary>
public static class Choices
{
    /// <summary>The registry entry called <paramref name="name"/>, or an error that lists the names and suggests the nearest.</summary>
    /// <param name="registry">Activations or losses.</param>
    /// <param name="name">The value given.</param>
    /// <param name="option">The option, e.g. <c>--activation</c>.</param>
    public static T Registered<T>(Registry<T> registry, string name, string option) where T : class, INamed =>
        registry.Names.Contains(name)
            ? registry.Get(name)
            : throw new BadInputException($"{option} '{name}' is not a known {typeof(T).Name.ToLowerInvariant()}{CommandLine.Suggestion(name, registry.Names)}; " +
                                          $"the choices are {string.Join(", ", registry.Names)}.");

    /// <summary><paramref name="value"/> if it is one of <paramref name="choices"/>, else an error listing them.</summary>
    /// <param name="value">The value given.</param>
    /// <param name="option">The option.</param>
    /// <param name="choices">The allowed values.</param>
    public static string OneOf(string value, string option, params string[] choices) =>
        choices.Contains(value, StringComparer.Ordinal)
            ? value
            : throw new BadInputException($"{option} must be {Alternatives(choices)}, but is '{value}'{CommandLine.Suggestion(value, choices)}.");

    /// <summary>An engine exception's message without .NET's " (Parameter 'name')" suffix, which names code, not an option (<see cref="Hyperparameters.Reason"/>).</summary>
    /// <param name="e">The exception.</param>
    public static string Reason(Exception e) => e is ArgumentException argument ? Hyperparameters.Reason(argument) : e.Message;

    /// <summary>"a, b or c".</summary>
    /// <param name="choices">At least one.</param>
    public static string Alternatives(IReadOnlyList<string> choices) =>
        choices.Count == 1 ? choices[0] : $"{string.Join(", ", choices.Take(choices.Count - 1))} or {choices[^1]}";

    /// <summary><paramref name="value"/> if it lies in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    /// <param name="value">The value given.</param>
    /// <param name="option">The option.</param>
    /// <param name="min">Smallest allowed.</param>
    /// <param name="max">Largest allowed.</param>
    public static int InRange(int value, string option, int min, int max = int.MaxValue) =>
        value >= min && value <= max
            ? value
            : throw new BadInputException(max == int.MaxValue
                ? $"{option} must be at least {min}, but is {value}."
                : $"{option} must be from {min} to {max}, but is {value}.");

    /// <summary><paramref name="value"/> if it is positive and finite.</summary>
    /// <param name="value">The value given.</param>
    /// <param name="option">The option.</param>
    public static double Positive(double value, string option) =>
        value > 0 && double.IsFinite(value)
            ? value
            : throw new BadInputException($"{option} must be positive and finite, but is {value.ToString(CultureInfo.InvariantCulture)}.");

    /// <summary>Comma-separated positive widths, e.g. <c>64,16,16,10</c>: no empty entry, at least two.</summary>
    /// <param name="text">The value given.</param>
    /// <param name="option">The option.</param>
    public static int[] Widths(string text, string option)
    {
        var entries = text.Split(',');
        var widths = new int[entries.Length];
        for (int i = 0; i < entries.Length; i++)
        {
            string entry = entries[i].Trim();
            if (entry.Length == 0)
                throw new BadInputException($"{option} '{text}' has an empty entry at position {i + 1}; list the widths separated by single commas, e.g. 64,16,10.");
            if (!int.TryParse(entry, NumberStyles.None, CultureInfo.InvariantCulture, out widths[i]) || widths[i] <= 0)
                throw new BadInputException($"{option} must list positive whole numbers, but entry {i + 1} is '{entry}'.");
        }
        if (widths.Length < 2)
            throw new BadInputException($"{option} needs at least an input and an output width, e.g. 64,10, but is '{text}'.");
        return widths;
    }
}
