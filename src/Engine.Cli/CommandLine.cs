using System.Globalization;
using System.Reflection;
using Spectre.Console.Cli;

namespace Engine.Cli;

/// <summary>
/// Strict checks of a command line before it is bound to a command's settings: the command exists, every option is one the
/// command declares and is given once, every option that takes a value has one of its type, and nothing else is on the line.
/// Each failure is a <see cref="BadInputException"/> that names the option as typed and suggests the nearest one.
/// </summary>
public static class CommandLine
{
    /// <summary>The options that print help instead of running a command.</summary>
    public static readonly IReadOnlySet<string> HelpOptions = new HashSet<string> { "-h", "--help", "-?" };

    /// <summary>The options of a command, by long name (with <c>--</c>).</summary>
    /// <param name="settings">The command's settings type.</param>
    public static IReadOnlyDictionary<string, PropertyInfo> Options(Type settings) =>
        settings.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Property: p, Attribute: p.GetCustomAttribute<CommandOptionAttribute>()))
            .Where(o => o.Attribute is not null)
            .SelectMany(o => o.Attribute!.LongNames.Select(name => KeyValuePair.Create("--" + name, o.Property)))
            .ToDictionary(StringComparer.Ordinal);

    /// <summary>Throws a <see cref="BadInputException"/> for the first problem of <paramref name="args"/>.</summary>
    /// <param name="args">The command line.</param>
    /// <param name="commands">Each command's name and settings type.</param>
    public static void Check(IReadOnlyList<string> args, IReadOnlyDictionary<string, Type> commands)
    {
        if (args.Count == 0 || HelpOptions.Contains(args[0]) || args[0] is "--version" or "-v") return;
        string command = args[0];
        if (!commands.TryGetValue(command, out var settings))
            throw new BadInputException(command.StartsWith('-')
                ? $"'{command}' comes before a command; the commands are {string.Join(", ", commands.Keys)} (nn --help lists them)."
                : $"unknown command '{command}'{Suggestion(command, commands.Keys)}; the commands are {string.Join(", ", commands.Keys)}.");
        var options = Options(settings);
        var given = new HashSet<string>();
        for (int i = 1; i < args.Count; i++)
        {
            string token = args[i];
            if (HelpOptions.Contains(token)) return;
            if (!token.StartsWith('-') || token == "-")
                throw new BadInputException($"unexpected argument '{token}' for nn {command}: every value follows its option (nn {command} --help lists them).");
            int equals = token.IndexOf('=');
            string name = equals > 0 ? token[..equals] : token;
            if (!options.TryGetValue(name, out var property))
                throw new BadInputException($"unknown option '{name}' for nn {command}{Suggestion(name, options.Keys)}; nn {command} --help lists the options.");
            if (!given.Add(property.Name))
                throw new BadInputException($"{name} is given more than once.");
            bool flag = property.PropertyType == typeof(bool);
            if (flag)
            {
                if (equals > 0) throw new BadInputException($"{name} is a switch and takes no value, but is given '{token[(equals + 1)..]}'.");
                continue;
            }
            string value;
            if (equals > 0) value = token[(equals + 1)..];
            else if (i + 1 < args.Count && !IsOption(args[i + 1], options)) value = args[++i];
            else throw new BadInputException($"{name} needs a value{(i + 1 < args.Count ? $", but is followed by {args[i + 1]}" : "")}.");
            CheckType(name, value, property.PropertyType);
        }
    }

    /// <summary>Whether a token is an option rather than a value (a negative number is a value).</summary>
    private static bool IsOption(string token, IReadOnlyDictionary<string, PropertyInfo> options) =>
        token.StartsWith("--", StringComparison.Ordinal) || HelpOptions.Contains(token) ||
        token.StartsWith('-') && token.Length > 1 && !double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out _) && options.ContainsKey(token);

    private static void CheckType(string name, string value, Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (value.Length == 0) throw new BadInputException($"{name} needs a value, but is given an empty one.");
        if (type == typeof(int) && !int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
            throw new BadInputException($"{name} must be a whole number, but is '{value}'" +
                                        (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double d) && d == Math.Floor(d)
                                            ? $" (write it out: {(Math.Abs(d) <= int.MaxValue ? ((long)d).ToString(CultureInfo.InvariantCulture) : "it is beyond 2147483647")})."
                                            : "."));
        if (type == typeof(double) && !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            throw new BadInputException($"{name} must be a number, but is '{value}'.");
    }

    /// <summary><c> (did you mean 'x'?)</c> for the candidate nearest to <paramref name="typed"/>, or nothing when none is near.</summary>
    /// <param name="typed">What the user typed.</param>
    /// <param name="candidates">What exists.</param>
    public static string Suggestion(string typed, IEnumerable<string> candidates)
    {
        string? best = Nearest(typed, candidates);
        return best is null ? "" : $" (did you mean '{best}'?)";
    }

    /// <summary>
    /// The candidate nearest to <paramref name="typed"/>: one that starts with it or that it starts with (<c>--epoch</c>,
    /// <c>--batch-size</c>), one whose name is its initials (<c>--learning-rate</c> → <c>--lr</c>), or one within an edit
    /// distance of a third of its length (at least 2); null when none is.
    /// </summary>
    /// <param name="typed">What the user typed.</param>
    /// <param name="candidates">What exists.</param>
    public static string? Nearest(string typed, IEnumerable<string> candidates)
    {
        var list = candidates.ToList();
        string bare = typed.TrimStart('-').ToLowerInvariant();
        if (bare.Length == 0) return null;
        string initials = string.Concat(bare.Split('-', '_').Where(w => w.Length > 0).Select(w => w[0]));
        var scored = list.Select(c =>
        {
            string name = c.TrimStart('-').ToLowerInvariant();
            int distance = Distance(bare, name);
            bool related = name.StartsWith(bare, StringComparison.Ordinal) || bare.StartsWith(name, StringComparison.Ordinal)
                           || initials.Length > 1 && initials == name;
            return (Candidate: c, Distance: related ? 0 : distance, Near: related || distance <= Math.Max(2, bare.Length / 3));
        }).Where(s => s.Near).OrderBy(s => s.Distance).ThenBy(s => s.Candidate, StringComparer.Ordinal).ToList();
        return scored.Count == 0 ? null : scored[0].Candidate;
    }

    /// <summary>Levenshtein distance.</summary>
    private static int Distance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        var current = new int[b.Length + 1];
        for (int i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (int j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
