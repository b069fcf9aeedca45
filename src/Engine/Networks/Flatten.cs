namespace Engine.Networks;

/// <summary>
/// Flatten: an image <c>[c, h, w]</c> becomes a vector of c·h·w values, in the same row-major order. Samples are already stored flat,
/// so it passes values forward and gradients back unchanged; it marks in the topology where images end and dense layers begin.
/// </summary>
public sealed class Flatten : Layer
{
    /// <summary>Flattens an image of the given shape.</summary>
    /// <param name="input">The input image's shape.</param>
    public Flatten(ImageShape input) : base(input.Validate(nameof(input)).Size, input.Size) => InputShape = input;

    /// <summary>The input image's shape.</summary>
    public ImageShape InputShape { get; }

    /// <inheritdoc/>
    protected override void ForwardCore(ReadOnlySpan<double> input, Span<double> output, int batch) => input.CopyTo(output);

    /// <inheritdoc/>
    protected override void BackwardCore(ReadOnlySpan<double> input, ReadOnlySpan<double> outputGradient, Span<double> inputGradient)
    {
        if (!inputGradient.IsEmpty) outputGradient.CopyTo(inputGradient);
    }
}
