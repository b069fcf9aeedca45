using System.Globalization;

namespace Engine.Cli.Runs;

/// <summary>
/// The memory a dense network of given widths needs, checked before it is built: each layer's weights, and each layer's
/// buffers for a batch (pre-activations, activations, errors and their gradient: four arrays of batch × width), must fit one
/// array; and all of it — values and gradients of the parameters, 16 bytes each, and the buffers — must fit in the memory
/// available to the process.
/// </summary>
public static class ParameterBudget
{
    /// <summary>The largest batch the network runs: evaluation and prediction go 256 rows at a time.</summary>
    public const int EvaluationBatch = 256;

    /// <summary>Throws an error naming <c>--layers</c> when the network would not fit.</summary>
    /// <param name="widths">The layer widths, input first.</param>
    /// <param name="batch">The training batch size.</param>
    public static void Check(IReadOnlyList<int> widths, int batch)
    {
        long rows = Math.Max(batch, EvaluationBatch), parameters = 0, buffers = 0;
        for (int l = 1; l < widths.Count; l++)
        {
            long weights = (long)widths[l] * widths[l - 1];
            if (weights > Array.MaxLength)
                throw new BadInputException($"--layers: layer {l} ({widths[l - 1]}→{widths[l]}) has {weights} weights, more than one array can hold ({Array.MaxLength}).");
            if (rows * widths[l] > Array.MaxLength)
                throw new BadInputException($"--layers: layer {l}'s width {widths[l]} needs buffers of {rows} × {widths[l]} values for a batch of {rows}, more than one array can hold ({Array.MaxLength}).");
            parameters += weights + widths[l];
            buffers += 4 * rows * widths[l];
        }
        RequireMemory(parameters, buffers, "--layers");
    }

    /// <summary>
    /// The same check for a built network (its parameters are allocated lazily, so building it allocated nothing): each layer's
    /// buffers for a batch, a convolution's im2col columns included, must fit one array, and everything the memory available.
    /// </summary>
    /// <param name="network">The network.</param>
    /// <param name="batch">The training batch size.</param>
    /// <param name="option">The option that chose its shape, for messages (e.g. <c>--image</c>).</param>
    public static void Check(Engine.Networks.Network network, int batch, string option)
    {
        long rows = Math.Max(batch, EvaluationBatch), buffers = 0;
        foreach (var layer in network.Layers)
        {
            long largest = Math.Max(layer.InputSize, layer.OutputSize);
            if (layer is Engine.Networks.Conv2D conv)
                largest = Math.Max(largest, (long)conv.InputShape.Channels * conv.KernelHeight * conv.KernelWidth * conv.OutputShape.Height * conv.OutputShape.Width);
            if (rows * largest > Array.MaxLength)
                throw new BadInputException($"{option}: the {layer.GetType().Name} layer needs buffers of {rows} × {largest} values for a batch of {rows}, more than one array can hold ({Array.MaxLength}).");
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
