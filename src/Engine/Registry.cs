using System.Reflection;

namespace Engine;

/// <summary>
/// Every concrete public subclass of <typeparamref name="T"/> that has a public parameterless constructor, by name.
/// Found by reflection, so adding an activation, a loss or an optimizer is adding one file: nothing else is edited. The
/// registered instance holds the defaults; <see cref="Create"/> builds one with other <see cref="Hyperparameters"/>.
/// </summary>
/// <typeparam name="T">An activation, a loss, an optimizer or a layer codec.</typeparam>
public sealed class Registry<T> where T : class, INamed
{
    private readonly SortedDictionary<string, T> byName;

    private Registry(SortedDictionary<string, T> byName) => this.byName = byName;

    /// <summary>The built-in entries: those defined in the engine assembly.</summary>
    public static Registry<T> Builtin { get; } = FromAssemblies(typeof(T).Assembly);

    /// <summary>Scans <paramref name="assemblies"/> (e.g. the engine's and your own) for entries.</summary>
    /// <param name="assemblies">Where to look.</param>
    /// <exception cref="InvalidOperationException">Two types declare the same name.</exception>
    public static Registry<T> FromAssemblies(params Assembly[] assemblies)
    {
        var byName = new SortedDictionary<string, T>(StringComparer.Ordinal);
        var types = assemblies.Distinct().SelectMany(a => a.GetExportedTypes())
            .Where(t => typeof(T).IsAssignableFrom(t) && t is { IsAbstract: false, IsGenericTypeDefinition: false }
                        && t.GetConstructor(Type.EmptyTypes) is not null);
        foreach (var type in types)
        {
            var entry = (T)Activator.CreateInstance(type)!;
            if (!byName.TryAdd(entry.Name, entry))
                throw new InvalidOperationException(
                    $"{typeof(T).Name} name '{entry.Name}' is declared by both {byName[entry.Name].GetType().FullName} and {type.FullName}.");
        }
        return new Registry<T>(byName);
    }

    /// <summary>Every entry, ordered by name.</summary>
    public IReadOnlyCollection<T> All => byName.Values;

    /// <summary>Every name, in order.</summary>
    public IReadOnlyCollection<string> Names => byName.Keys;

    /// <summary>The entry called <paramref name="name"/>.</summary>
    /// <param name="name">A registered name.</param>
    /// <exception cref="ArgumentException">No entry has that name; the message lists the names there are.</exception>
    public T Get(string name) =>
        byName.TryGetValue(name, out var entry)
            ? entry
            : throw new ArgumentException(
                $"Unknown {typeof(T).Name.ToLowerInvariant()} '{name}'; expected one of: {string.Join(", ", byName.Keys)}.", nameof(name));

    /// <summary>The entry called <paramref name="name"/> with the given hyperparameters; the others keep their defaults.</summary>
    /// <param name="name">A registered name.</param>
    /// <param name="hyperparameters">Values by hyperparameter name, as <see cref="Hyperparameter.Format"/> writes them.</param>
    /// <exception cref="ArgumentException">The name, a hyperparameter's name or a value is invalid; the message says which.</exception>
    public T Create(string name, IReadOnlyDictionary<string, string> hyperparameters)
    {
        var defaults = Get(name);
        return hyperparameters.Count == 0 ? defaults : Hyperparameters.Create(defaults.GetType(), defaults, hyperparameters);
    }
}
