using Engine.Data;
using Engine.Losses;

namespace Engine.Cli;

/// <summary>Turns one label per sample into the target rows a loss expects.</summary>
public static class TargetEncoding
{
    /// <summary>
    /// Integer labels stay as they are for a loss that takes labels (sparse-cce); with several outputs they become one-hot rows;
    /// with one output, 0/1 labels stay 0/1, except for the margin losses, which take −1/+1.
    /// </summary>
    /// <param name="data">Data with one label per row.</param>
    /// <param name="loss">The loss.</param>
    /// <param name="outputs">The network's output width.</param>
    public static Dataset Encode(Dataset data, Loss loss, int outputs)
    {
        if (loss.TargetWidth(outputs) == 1 && outputs > 1) return data;
        if (outputs > 1) return data.OneHot(outputs);
        return loss is MarginLoss ? data.MapTargets(y => y > 0 ? 1.0 : -1.0) : data;
    }
}
