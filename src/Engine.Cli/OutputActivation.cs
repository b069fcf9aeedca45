using Engine.Activations;
using Engine.Losses;

namespace Engine.Cli;

/// <summary>The output layer's activation for a loss: the one given, checked against the loss, or the first the loss accepts.</summary>
public static class OutputActivation
{
    /// <summary>
    /// <paramref name="name"/> if given (it must suit the loss), else the first the loss accepts of softmax (when preferred and
    /// there are several outputs), identity and sigmoid.
    /// </summary>
    /// <param name="name">The <c>--output-activation</c> value, or null.</param>
    /// <param name="loss">The loss.</param>
    /// <param name="outputs">The output width.</param>
    /// <param name="preferSoftmax">Classification: try softmax first.</param>
    public static Activation Choose(string? name, Loss loss, int outputs, bool preferSoftmax)
    {
        if (name is not null)
        {
            var chosen = Choices.Registered(Registry<Activation>.Builtin, name, "--output-activation");
            return loss.Incompatibility(chosen) is { } why ? throw new BadInputException($"--output-activation {name} does not suit --loss {loss.Name}: {why}") : chosen;
        }
        var candidates = (preferSoftmax ? new[] { "softmax", "identity", "sigmoid" } : ["identity", "softmax", "sigmoid"])
            .Where(candidate => candidate != "softmax" || outputs > 1);
        return candidates.Select(Registry<Activation>.Builtin.Get).First(a => loss.Incompatibility(a) is null);
    }
}
