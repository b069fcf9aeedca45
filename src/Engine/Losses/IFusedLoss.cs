using Engine.Activations;

namespace Engine.Losses;

/// <summary>
/// A loss with a closed form for the output error when a particular activation precedes it: computed from the logits z,
/// it is exact and stable where the chain rule through a saturated activation is not (seed 000's "Step 1": δᴸ = aᴸ − y).
/// </summary>
public interface IFusedLoss
{
    /// <summary>Whether the closed form applies after <paramref name="activation"/>.</summary>
    /// <param name="activation">The output layer's activation.</param>
    bool FusesWith(Activation activation);

    /// <summary>L(σ(z), y) for one sample, computed from the logits.</summary>
    /// <param name="logits">The output layer's pre-activations z.</param>
    /// <param name="target">The target row.</param>
    double ValueFromLogits(ReadOnlySpan<double> logits, ReadOnlySpan<double> target);

    /// <summary>δᴸ = ∂L/∂z for one sample.</summary>
    /// <param name="output">The activations a = σ(z).</param>
    /// <param name="target">The target row.</param>
    /// <param name="delta">Receives δᴸ.</param>
    void OutputError(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> delta);
}
