using System.Globalization;

namespace Engine.Cli.Runs;

/// <summary>
/// The memory a dense network of given widths needs, checked before it is built: each layer's weights must fit one array, and
/// the values and gradients of all parameters (16 bytes each) must fit in the memory available to the process.
/// </summary>
public static class ParameterBudget
{
    /// <summary>Throws an error naming <c>--layers</c> when the network would not fit.</summary>
    /// <param name="widths">The layer widths, input first.</param>
    public static void Check(IReadOnlyList<int> widths)
    {
        long total = 0;
        for (int l = 1; l < widths.Count; l++)
        {
            long weights = (long)widths[l] * widths[l - 1];
            if (weights > Array.MaxLength)
                throw new BadInputException($"--layers: layer {l} ({widths[l - 1]}→{widths[l]}) has {weights} weights, more than one array can hold ({Array.MaxLength}).");
            total += weights + widths[l];
        }
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (total * 16 > available)
            throw new BadInputException($"--layers: the network has {total.ToString("N0", CultureInfo.InvariantCulture)} parameters, whose values and gradients need " +
                                        $"{(total * 16.0 / (1 << 30)).ToString("F1", CultureInfo.InvariantCulture)} GiB, more than the " +
                                        $"{(available / (double)(1 << 30)).ToString("F1", CultureInfo.InvariantCulture)} GiB available.");
    }
}
