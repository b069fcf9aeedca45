using System.Globalization;
using Engine.Data;
using Engine.Serialization;

namespace Engine.Cli.Inputs;

/// <summary>What a saved model predicts: classes (named) or values.</summary>
public static class ModelTask
{
    /// <summary>
    /// The model's classes: as saved, or for a model file that predates saved classes and whose loss scores classes, the indices
    /// 0..K−1 of its outputs (K = the outputs, or 2 for one output); null for regression.
    /// </summary>
    /// <param name="model">A loaded model.</param>
    public static Classes? ClassesOf(Model model)
    {
        if (model.Classes is not null) return model.Classes;
        if (model.Loss is not { HasAccuracy: true }) return null;
        int count = Math.Max(2, model.Network.OutputSize);
        return new Classes(Enumerable.Range(0, count).Select(k => k.ToString(CultureInfo.InvariantCulture)).ToArray(), indexedLabels: true);
    }
}
