using Engine.Networks;

namespace Kit.CSharp;

/// <summary>y = w ⊙ x + b, one weight and one bias per feature (as a normalization layer's scale and shift).</summary>
public sealed class ElementwiseAffine : Layer
{
    private readonly Parameter weight, bias;

    /// <summary>A layer of <paramref name="size"/> features.</summary>
    /// <param name="size">Features in and out.</param>
    public ElementwiseAffine(int size) : base(size, size)
    {
        weight = new Parameter("weight", size);
        bias = new Parameter("bias", size);
        Parameters = [weight, bias];
    }

    /// <inheritdoc/>
    public override IReadOnlyList<Parameter> Parameters { get; }

    /// <inheritdoc/>
    protected override void ForwardCore(ReadOnlySpan<double> input, Span<double> output, int batch)
    {
        for (int i = 0; i < input.Length; i++) output[i] = weight.Values[i % InputSize] * input[i] + bias.Values[i % InputSize];
    }

    /// <inheritdoc/>
    protected override void BackwardCore(ReadOnlySpan<double> input, ReadOnlySpan<double> outputGradient, Span<double> inputGradient)
    {
        Array.Clear(weight.Gradient);
        Array.Clear(bias.Gradient);
        for (int i = 0; i < input.Length; i++)
        {
            int j = i % InputSize;
            weight.Gradient[j] += outputGradient[i] * input[i] / BatchSize;
            bias.Gradient[j] += outputGradient[i] / BatchSize;
            if (!inputGradient.IsEmpty) inputGradient[i] = outputGradient[i] * weight.Values[j];
        }
    }
}
