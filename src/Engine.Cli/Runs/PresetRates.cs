using Engine.Optimizers;

namespace Engine.Cli.Runs;

/// <summary>
/// The default learning rate of <c>nn train</c>'s two presets for each optimizer, where one was measured: the rate of the best
/// test accuracy after 20 epochs among 0.001, 0.003, 0.01, 0.03 and 0.1 (0.5 for SGD, the notes' network's rate) on the
/// embedded digits, seed 1 (the sweep in docs/optimizers.md). Elsewhere an optimizer starts at PyTorch's default.
/// </summary>
internal static class PresetRates
{
    private static readonly Dictionary<string, double> Dense = new()
    {
        ["sgd"] = 0.5, ["adam"] = 0.03, ["adamw"] = 0.03, ["rmsprop"] = 0.003, ["adagrad"] = 0.1,
    };

    private static readonly Dictionary<string, double> Convolutional = new() { ["sgd"] = 0.05 };

    /// <summary>The default rate of <paramref name="optimizer"/> for the dense or the convolutional preset.</summary>
    /// <param name="cnn">The convolutional preset.</param>
    /// <param name="optimizer">The chosen optimizer.</param>
    public static double For(bool cnn, Optimizer optimizer) =>
        (cnn ? Convolutional : Dense).TryGetValue(optimizer.Name, out double rate) ? rate : optimizer.DefaultLearningRate;
}
