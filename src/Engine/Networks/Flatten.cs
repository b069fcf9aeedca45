using System.Text.Json.Nodes;
using Engine.Activations;

namespace Engine.Networks;

/// <summary>
/// Flatten: an image <c>[c, h, w]</c> becomes a vector of c·h·w values, in the same row-major order. Samples are already stored flat,
/// so it copies values and gradients unchanged; it marks in the topology where images end and dense layers begin.
/// </summary>
public sealed class Flatten : Layer
{
    /// <summary>Flattens an image of the given shape.</summary>
    /// <param name="input">The input image's shape.</param>
    public Flatten(ImageShape input) : base(input.Validate(nameof(input)).Size, input.Size, new Identity()) => InputShape = input;

    /// <summary>The kind name in model files.</summary>
    public const string Kind = "flatten";

    /// <summary>The input image's shape.</summary>
    public ImageShape InputShape { get; }

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters => [];

    /// <inheritdoc/>
    public override JsonObject ToSpec() => new()
    {
        ["type"] = Kind,
        ["input"] = new JsonArray(InputShape.Channels, InputShape.Height, InputShape.Width),
    };

    /// <summary>A flatten layer from its spec.</summary>
    /// <param name="spec">The stored settings.</param>
    /// <param name="activations">Unused.</param>
    public static Flatten FromSpec(JsonObject spec, Registry<Activation> activations)
    {
        var input = LayerSpec.Ints(spec, "input", 3);
        return new Flatten(new ImageShape(input[0], input[1], input[2]));
    }

    /// <inheritdoc/>
    public override void Initialize(WeightInitialization scheme, Random random) { }

    /// <inheritdoc/>
    protected override void ComputePreActivations(ReadOnlySpan<double> input, Span<double> z, int batch) => input.CopyTo(z);

    /// <inheritdoc/>
    public override void Backpropagate(ReadOnlySpan<double> input, Span<double> inputGradient)
    {
        if (!inputGradient.IsEmpty) Deltas.CopyTo(inputGradient);
    }
}
