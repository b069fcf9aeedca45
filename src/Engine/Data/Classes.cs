using System.Globalization;

namespace Engine.Data;

/// <summary>
/// The classes of a classification task and how labels name them. Labels are either all class indices 0..K−1 (integers: 0,
/// 1, 2.0) or all names (any text that is not a number), never a mix:
/// <list type="bullet">
/// <item>integer labels: K is the largest label + 1, and every class 0..K−1 must occur in the data the classes are inferred from
/// (so a stray label such as 99999 or 1e9 is an error, not a 100,000-way softmax); a negative or fractional label is an error;</item>
/// <item>names: the classes are the distinct names in ordinal (culture-independent) order, K their number;</item>
/// <item>K must be at least 2.</item>
/// </list>
/// Data read later (a test file, data to evaluate) must use labels of the same classes. Display names are the names, or for
/// integer labels the names a file declares (scikit-learn's header line), else the indices.
/// </summary>
public sealed class Classes
{
    private readonly Dictionary<string, int> byName;

    /// <summary>Classes with the given display names.</summary>
    /// <param name="names">One name per class, distinct, at least 2.</param>
    /// <param name="indexedLabels">True when labels are written as indices 0..K−1; false when written as the names.</param>
    public Classes(IReadOnlyList<string> names, bool indexedLabels)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count < 2) throw new ArgumentException($"A classification needs at least 2 classes, but {names.Count} are named.", nameof(names));
        byName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int k = 0; k < names.Count; k++)
            if (!byName.TryAdd(names[k], k)) throw new ArgumentException($"Class name '{names[k]}' is given twice.", nameof(names));
        Names = names;
        IndexedLabels = indexedLabels;
    }

    /// <summary>The display name of each class, by index.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>K.</summary>
    public int Count => Names.Count;

    /// <summary>True when labels are written as class indices 0..K−1, false when written as the names.</summary>
    public bool IndexedLabels { get; }

    /// <summary>Infers the classes from a table's labels by the rules above.</summary>
    /// <param name="table">Labelled rows.</param>
    /// <exception cref="DataFormatException">The labels break a rule; the message names the label, its position and the rule.</exception>
    public static Classes Infer(DataTable table)
    {
        var labels = table.RequireLabels();
        if (labels.Length == 0) throw new DataFormatException($"{table.Source}: no rows to take the classes from.");
        int firstNumber = -1, firstName = -1;
        for (int i = 0; i < labels.Length && (firstNumber < 0 || firstName < 0); i++)
            if (IsNumber(labels[i])) { if (firstNumber < 0) firstNumber = i; }
            else if (firstName < 0) firstName = i;
        if (firstNumber >= 0 && firstName >= 0)
            throw new DataFormatException($"{table.Where(firstName)}: the label '{labels[firstName]}' is a name, but {table.Where(firstNumber)} has the number " +
                                          $"{labels[firstNumber]}; class labels are either all integers 0..K−1 or all names.");
        return firstName >= 0 ? FromNames(table, labels) : FromIndices(table, labels);
    }

    private static Classes FromNames(DataTable table, string[] labels)
    {
        var names = labels.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        if (names.Length < 2) throw OneClass(table, $"'{names[0]}'");
        return new Classes(names, indexedLabels: false);
    }

    private static Classes FromIndices(DataTable table, string[] labels)
    {
        int largest = -1, largestRow = 0;
        var seen = new HashSet<int>();
        for (int i = 0; i < labels.Length; i++)
        {
            double value = double.Parse(labels[i], NumberStyles.Float, CultureInfo.InvariantCulture);
            if (!(value >= 0 && value == Math.Floor(value) && value < int.MaxValue))
                throw new DataFormatException($"{table.Where(i)}: the label {labels[i]} is not a class index (an integer 0, 1, 2, …); " +
                                              "class labels are integers 0..K−1 or names.");
            int label = (int)value;
            seen.Add(label);
            if (label > largest) (largest, largestRow) = (label, i);
        }
        if (seen.Count < 2) throw OneClass(table, largest.ToString(CultureInfo.InvariantCulture));
        if (seen.Count != largest + 1)
        {
            int missing = Enumerable.Range(0, largest + 1).First(k => !seen.Contains(k));
            throw new DataFormatException($"{table.Where(largestRow)}: the label {labels[largestRow]} makes {largest + 1} classes (0..{largest}), but class {missing} " +
                                          $"never occurs in {table.Source}; integer labels must be 0..K−1 with every class present.");
        }
        int count = largest + 1;
        if (table.ClassNames is { } declared)
        {
            if (declared.Count != count)
                throw new DataFormatException($"{table.Source}: the header names {declared.Count} classes, but the labels are 0..{largest}.");
            return new Classes(declared, indexedLabels: true);
        }
        return new Classes(Enumerable.Range(0, count).Select(k => k.ToString(CultureInfo.InvariantCulture)).ToArray(), indexedLabels: true);
    }

    private static DataFormatException OneClass(DataTable table, string label) =>
        new($"{table.Source}: every label is {label}, a single class; a classification needs at least two classes.");

    /// <summary>The index of the class a label names.</summary>
    /// <param name="label">A label cell.</param>
    /// <param name="table">The table it comes from, for messages.</param>
    /// <param name="row">Its row, for messages.</param>
    /// <exception cref="DataFormatException">The label names none of the classes.</exception>
    public int IndexOf(string label, DataTable table, int row)
    {
        if (IndexedLabels)
        {
            if (double.TryParse(label, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && value >= 0 && value < Count && value == Math.Floor(value))
                return (int)value;
            throw new DataFormatException($"{table.Where(row)}: the label '{label}' is not one of the class indices 0..{Count - 1}.");
        }
        return byName.TryGetValue(label, out int index) ? index
            : throw new DataFormatException($"{table.Where(row)}: the label '{label}' is not one of the {Count} classes ({Describe()}).");
    }

    /// <summary>The class names for messages, the first few.</summary>
    public string Describe() => string.Join(", ", Names.Take(10)) + (Count > 10 ? ", …" : "");

    private static bool IsNumber(string text) => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
