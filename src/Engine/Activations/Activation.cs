namespace Engine.Activations;

/// <summary>
/// An activation a = σ(z), applied row by row to a <c>[rows, width]</c> row-major matrix of pre-activations.
/// Its <see cref="Backward"/> is a vector-Jacobian product, so elementwise functions and softmax share one shape.
/// </summary>
/// <remarks>
/// To add an activation, add one file with a public sealed subclass that has a parameterless constructor:
/// <see cref="Registry{T}.Builtin"/> finds it, and the property suite verifies its gradient.
/// Elementwise ones derive from <see cref="ElementwiseActivation{TFunction}"/> or <see cref="VectorizedActivation{TFunction}"/>.
/// </remarks>
public abstract class Activation : INamed
{
    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <summary>Points z where σ is not differentiable (or not twice differentiable); the derivative there follows the type's documented convention.</summary>
    public virtual IReadOnlyList<double> Kinks => [];

    /// <summary>True when every output lies in (0, 1), as the cross-entropy losses require.</summary>
    public virtual bool OutputsAreProbabilities => false;

    /// <summary>True when each output row is a distribution that sums to 1 (softmax), as categorical cross-entropy requires.</summary>
    public virtual bool OutputsSumToOne => false;

    /// <summary>
    /// What saturation means for this activation (a slope so small that almost no error passes back), which
    /// <see cref="Diagnostics.GradientDiagnostics"/> reports per layer. Null by default: the activation declares no saturation
    /// (the identity, softmax, ELU, GELU…) and no saturated fraction is reported for its layers. Override it with one line:
    /// <c>public override Saturation Saturation { get; } = Saturation.SlopeBelow(0.25);</c>
    /// </summary>
    public virtual Saturation? Saturation => null;

    /// <summary>a = σ(z) for every row.</summary>
    /// <param name="z">Pre-activations, rows × <paramref name="width"/>.</param>
    /// <param name="a">Receives the activations; same length as <paramref name="z"/>.</param>
    /// <param name="width">Row width (softmax normalizes each row; elementwise activations ignore it).</param>
    public void Forward(ReadOnlySpan<double> z, Span<double> a, int width)
    {
        CheckShapes(z.Length, width, (nameof(a), a.Length));
        ForwardCore(z, a[..z.Length], width);
    }

    /// <summary>The vector-Jacobian product ∂C/∂z = (∂a/∂z)ᵀ·∂C/∂a for every row (the σ'(z) factor of BP1 and BP2).</summary>
    /// <param name="z">Pre-activations the forward pass saw.</param>
    /// <param name="a">Activations it produced.</param>
    /// <param name="gradientA">∂C/∂a, the cotangent.</param>
    /// <param name="gradientZ">Receives ∂C/∂z.</param>
    /// <param name="width">Row width.</param>
    public void Backward(ReadOnlySpan<double> z, ReadOnlySpan<double> a, ReadOnlySpan<double> gradientA, Span<double> gradientZ, int width)
    {
        CheckShapes(z.Length, width, (nameof(a), a.Length), (nameof(gradientA), gradientA.Length), (nameof(gradientZ), gradientZ.Length));
        BackwardCore(z, a[..z.Length], gradientA[..z.Length], gradientZ[..z.Length], width);
    }

    /// <summary>Distance from z to the nearest declared kink (∞ when there is none).</summary>
    /// <param name="z">A pre-activation.</param>
    public double DistanceToKink(double z)
    {
        double distance = double.PositiveInfinity;
        foreach (double kink in Kinks) distance = Math.Min(distance, Math.Abs(z - kink));
        return distance;
    }

    /// <summary>The forward map on spans of equal length.</summary>
    /// <param name="z">Pre-activations.</param>
    /// <param name="a">Receives the activations.</param>
    /// <param name="width">Row width.</param>
    protected abstract void ForwardCore(ReadOnlySpan<double> z, Span<double> a, int width);

    /// <summary>The vector-Jacobian product on spans of equal length.</summary>
    /// <param name="z">Pre-activations.</param>
    /// <param name="a">Activations.</param>
    /// <param name="gradientA">∂C/∂a.</param>
    /// <param name="gradientZ">Receives ∂C/∂z.</param>
    /// <param name="width">Row width.</param>
    protected abstract void BackwardCore(ReadOnlySpan<double> z, ReadOnlySpan<double> a, ReadOnlySpan<double> gradientA, Span<double> gradientZ, int width);

    /// <inheritdoc/>
    public override string ToString() => Name;

    private static void CheckShapes(int length, int width, params ReadOnlySpan<(string Name, int Length)> others)
    {
        if (width <= 0 || length % width != 0)
            throw new ArgumentException($"width must be positive and divide the length of z ({length}), but is {width}.", nameof(width));
        foreach (var (name, otherLength) in others)
            if (otherLength < length)
                throw new ArgumentException($"{name} must hold at least {length} elements (the length of z), but has {otherLength}.", name);
    }
}
