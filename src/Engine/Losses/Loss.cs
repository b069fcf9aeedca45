namespace Engine.Losses;

/// <summary>
/// A per-sample loss L(a, y) of one output row a against its target row y, with its gradient ∂L/∂a (the ∇ₐC of BP1).
/// The batch cost is the mean of L over the samples; each loss documents how it reduces over the outputs of one sample.
/// A loss never assumes which activation precedes it: a closed form that does (δᴸ = a − y) is opt-in through <see cref="IFusedLoss"/>.
/// </summary>
/// <remarks>To add a loss, add one file with a public sealed subclass that has a parameterless constructor; the registry and the property suite find it.</remarks>
public abstract class Loss : INamed
{
    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <summary>True when the loss takes logarithms of its inputs, which must then lie in (0, 1) (see <see cref="Activations.Activation.OutputsAreProbabilities"/>).</summary>
    public virtual bool RequiresProbabilities => false;

    /// <summary>
    /// Why this loss cannot follow <paramref name="output"/>, or null when it can. By default a loss that takes logarithms needs
    /// outputs in (0, 1); a loss may add its own rule.
    /// </summary>
    /// <param name="output">The output layer's activation.</param>
    public virtual string? Incompatibility(Activations.Activation output) =>
        RequiresProbabilities && !output.OutputsAreProbabilities
            ? $"The {Name} loss takes logarithms of the outputs, which must lie in (0, 1), but the output activation {output.Name} does not keep them there; use sigmoid or softmax."
            : null;

    /// <summary>The number of target values per sample for an output row of <paramref name="outputWidth"/> (1 for integer labels).</summary>
    /// <param name="outputWidth">Width of the network's output.</param>
    public virtual int TargetWidth(int outputWidth) => outputWidth;

    /// <summary>Whether the loss defines a classification rule, so that <see cref="IsCorrect"/> gives an accuracy.</summary>
    public virtual bool HasAccuracy => false;

    /// <summary>L(a, y) for one sample.</summary>
    /// <param name="output">The output row a.</param>
    /// <param name="target">The target row y.</param>
    public abstract double Value(ReadOnlySpan<double> output, ReadOnlySpan<double> target);

    /// <summary>∂L/∂a for one sample.</summary>
    /// <param name="output">The output row a.</param>
    /// <param name="target">The target row y.</param>
    /// <param name="gradient">Receives ∂L/∂a, as wide as <paramref name="output"/>.</param>
    public abstract void Gradient(ReadOnlySpan<double> output, ReadOnlySpan<double> target, Span<double> gradient);

    /// <summary>
    /// Signed distance of one output element from the nearest point where L is not (twice) differentiable in it: its magnitude is the
    /// distance, its sign tells the side, so finite differences straddle a kink exactly when the sign changes (+∞ where there is none).
    /// </summary>
    /// <param name="output">An output element.</param>
    /// <param name="target">Its target element (the label for integer-label losses).</param>
    public virtual double KinkOffset(double output, double target) => double.PositiveInfinity;

    /// <summary>|<see cref="KinkOffset"/>|: the distance to the nearest kink.</summary>
    /// <param name="output">An output element.</param>
    /// <param name="target">Its target element.</param>
    public double DistanceToKink(double output, double target) => Math.Abs(KinkOffset(output, target));

    /// <summary>Throws an <see cref="ArgumentException"/> naming <paramref name="row"/> and the column when a target row is outside the loss's domain.</summary>
    /// <param name="target">One target row.</param>
    /// <param name="outputWidth">Width of the network's output.</param>
    /// <param name="row">The row's index, for the message.</param>
    public virtual void ValidateTarget(ReadOnlySpan<double> target, int outputWidth, int row) { }

    /// <summary>Whether one sample is classified correctly (only where <see cref="HasAccuracy"/>).</summary>
    /// <param name="output">The output row.</param>
    /// <param name="target">The target row.</param>
    public virtual bool IsCorrect(ReadOnlySpan<double> output, ReadOnlySpan<double> target) =>
        throw new NotSupportedException($"The {Name} loss defines no classification rule.");

    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>Throws unless every element of <paramref name="target"/> lies in [<paramref name="low"/>, <paramref name="high"/>].</summary>
    /// <param name="target">One target row.</param>
    /// <param name="row">Its index.</param>
    /// <param name="low">Smallest allowed value.</param>
    /// <param name="high">Largest allowed value.</param>
    protected void RequireRange(ReadOnlySpan<double> target, int row, double low, double high)
    {
        for (int j = 0; j < target.Length; j++)
            if (!(target[j] >= low && target[j] <= high))
                throw new ArgumentException($"targets[{row}, {j}] must lie in [{low}, {high}] for the {Name} loss, but is {target[j]}.", "targets");
    }

    /// <summary>Index of the largest element (the first one on ties).</summary>
    /// <param name="values">A non-empty row.</param>
    protected static int ArgMax(ReadOnlySpan<double> values)
    {
        int best = 0;
        for (int j = 1; j < values.Length; j++) if (values[j] > values[best]) best = j;
        return best;
    }
}
