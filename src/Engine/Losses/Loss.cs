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

    /// <summary>
    /// The target row that stands for class <paramref name="label"/> of <paramref name="classes"/> when the network has
    /// <paramref name="outputWidth"/> outputs: the label itself for a loss that takes labels (one target per sample); with one
    /// output (two classes) 0 or 1; with one output per class a one-hot row. The margin losses use −1 for "no" instead of 0.
    /// </summary>
    /// <param name="label">The class, in [0, <paramref name="classes"/>).</param>
    /// <param name="classes">Number of classes, at least 2.</param>
    /// <param name="outputWidth">The network's outputs: 1 for two classes, or <paramref name="classes"/>.</param>
    /// <param name="target">Receives the row, <see cref="TargetWidth"/>(<paramref name="outputWidth"/>) wide.</param>
    /// <exception cref="ArgumentException">The label or the widths do not fit; the message names them.</exception>
    public void EncodeClass(int label, int classes, int outputWidth, Span<double> target)
    {
        if (classes < 2) throw new ArgumentOutOfRangeException(nameof(classes), classes, "classes must be at least 2.");
        if (label < 0 || label >= classes) throw new ArgumentOutOfRangeException(nameof(label), label, $"label must lie in [0, {classes - 1}], but is {label}.");
        if (!(outputWidth == classes || outputWidth == 1 && classes == 2))
            throw new ArgumentException($"{classes} classes need {classes} outputs{(classes == 2 ? " or 1" : "")}, but the network has {outputWidth}.", nameof(outputWidth));
        int width = TargetWidth(outputWidth);
        if (target.Length != width) throw new ArgumentException($"target must hold {width} values for the {Name} loss, but has {target.Length}.", nameof(target));
        if (width == 1 && outputWidth > 1) target[0] = label;
        else if (width == 1) target[0] = label == 1 ? Yes : No;
        else for (int j = 0; j < width; j++) target[j] = j == label ? Yes : No;
    }

    /// <summary>
    /// The class an output row predicts for targets made by <see cref="EncodeClass"/>: the largest output when there are several,
    /// else whether the one output reaches the midpoint between <see cref="No"/> and <see cref="Yes"/> (0.5, or 0 for the margin
    /// losses). With one output this is the rule <see cref="IsCorrect"/> scores; with several, the binary and margin losses'
    /// <see cref="IsCorrect"/> is stricter (every output on its own side).
    /// </summary>
    /// <param name="output">One output row.</param>
    public int PredictClass(ReadOnlySpan<double> output) =>
        output.Length == 1 ? (output[0] >= (Yes + No) / 2 ? 1 : 0) : ArgMax(output);

    /// <summary>The target value that says "this class" in <see cref="EncodeClass"/>.</summary>
    protected virtual double Yes => 1.0;

    /// <summary>The target value that says "not this class" in <see cref="EncodeClass"/> (0; −1 for the margin losses).</summary>
    protected virtual double No => 0.0;

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
