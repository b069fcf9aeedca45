using System.Globalization;

namespace Engine.Cli.Runs;

/// <summary>
/// The memory a network needs, checked before anything of it is allocated: each layer's weights, and each layer's buffers for
/// a batch (pre-activations, activations, errors and their gradient: four arrays of batch × width; a convolution's im2col
/// columns), must fit one array; and all of it — values and gradients of the parameters, 16 bytes each, and the buffers —
/// must fit in the memory available to the process.
/// </summary>
public static class ParameterBudget
{
    /// <summary>The largest batch the network runs: evaluation and prediction go 256 rows at a time.</summary>
    public const int EvaluationBatch = 256;

    /// <summary>
    /// Throws an error naming <c>--layers</c> when a dense layer's weights would not fit one array: checked before the network
    /// is built, whose layers count their weights in an <see cref="int"/>. The rest is <see cref="Check(Engine.Networks.Network, int, string)"/>'s.
    /// </summary>
    /// <param name="widths">The layer widths, input first.</param>
    public static void CheckWeights(IReadOnlyList<int> widths)
    {
        for (int l = 1; l < widths.Count; l++)
        {
            long weights = (long)widths[l] * widths[l - 1];
            if (weights > Array.MaxLength)
                throw new BadInputException($"--layers: layer {l} ({widths[l - 1]}→{widths[l]}) has {weights} weights, more than one array can hold ({Array.MaxLength}).");
        }
    }

    /// <summary>
    /// Throws an error naming <paramref name="option"/> when a built network would not fit (its parameters are allocated lazily,
    /// so building it allocated nothing): each layer's buffers for a batch, a convolution's im2col columns included, must fit
    /// one array, and everything the memory available.
    /// </summary>
    /// <param name="network">The network.</param>
    /// <param name="batch">The training batch size.</param>
    /// <param name="option">The option that chose its shape, for messages (e.g. <c>--image</c>).</param>
    public static void Check(Engine.Networks.Network network, int batch, string option)
    {
        long rows = Math.Max(batch, EvaluationBatch), buffers = 0;
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var layer = network.Layers[l];
            long largest = Math.Max(layer.InputSize, layer.OutputSize);
            if (layer is Engine.Networks.Conv2D conv)
                largest = Math.Max(largest, (long)conv.InputShape.Channels * conv.KernelHeight * conv.KernelWidth * conv.OutputShape.Height * conv.OutputShape.Width);
            if (rows * largest > Array.MaxLength)
                throw new BadInputException($"{option}: layer {l + 1} ({layer.GetType().Name}) needs buffers of {rows} × {largest} values for a batch of {rows}, more than one array can hold ({Array.MaxLength}).");
            buffers += 4 * rows * largest;
        }
        RequireMemory(network.Parameters.Sum(p => (long)p.Count), buffers, option);
    }

    private static void RequireMemory(long parameters, long buffers, string option)
    {
        long bytes = 16 * parameters + 8 * buffers;
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (bytes > available)
            throw new BadInputException($"{option}: the network has {parameters.ToString("N0", CultureInfo.InvariantCulture)} parameters, which with their gradients and a batch's buffers need " +
                                        $"{(bytes / (double)(1 << 30)).ToString("F1", CultureInfo.InvariantCulture)} GiB, more than the " +
                                        $"{(available / (double)(1 << 30)).ToString("F1", CultureInfo.InvariantCulture)} GiB available.");
    }
}
