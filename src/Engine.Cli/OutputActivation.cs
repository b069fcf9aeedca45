using Engine.Activations;
using Engine.Losses;

namespace Engine.Cli;

/// <summary>The output layer's activation for a loss: the one given, checked against the loss, or the natural one for the loss.</summary>
public static class OutputActivation
{
    /// <summary>The candidates tried when none is given, in order.</summary>
    private static readonly string[] Candidates = ["softmax", "sigmoid", "identity"];

    /// <summary>
    /// <paramref name="name"/> if given (it must suit the loss and the width), else the activation the loss has a closed form
    /// after (softmax for the cross-entropies, sigmoid for bce: <see cref="IFusedLoss.FusesWith"/>), else the first of identity
    /// and sigmoid the loss accepts: raw outputs for the squared errors and the margin losses.
    /// </summary>
    /// <param name="name">The <c>--output-activation</c> value, or null.</param>
    /// <param name="loss">The loss.</param>
    /// <param name="outputs">The output width.</param>
    public static Activation Choose(string? name, Loss loss, int outputs)
    {
        if (name is not null)
        {
            var chosen = Choices.Registered(Registry<Activation>.Builtin, name, "--output-activation");
            if (chosen.OutputsSumToOne && outputs == 1)
                throw new BadInputException($"--output-activation {name} needs at least two outputs: its outputs sum to 1, so one output is always 1.");
            return loss.Incompatibility(chosen) is { } why ? throw new BadInputException($"--output-activation {name} does not suit the {loss.Name} loss: {why}") : chosen;
        }
        var usable = Candidates.Select(Registry<Activation>.Builtin.Get).Where(a => !a.OutputsSumToOne || outputs > 1).ToList();
        var natural = usable.FirstOrDefault(a => loss is IFusedLoss fused && fused.FusesWith(a))
                      ?? usable.Where(a => !a.OutputsSumToOne).Reverse().FirstOrDefault(a => loss.Incompatibility(a) is null);
        if (natural is not null) return natural;
        string reason = usable.Select(a => loss.Incompatibility(a)).FirstOrDefault(r => r is not null) ?? "";
        throw new BadInputException($"no output activation suits the {loss.Name} loss on {outputs} output{(outputs == 1 ? "" : "s")}" +
                                    (outputs == 1 ? " (softmax needs at least two)" : "") + $": {reason} Change the output width (--layers) or the loss (--loss).");
    }
}
