namespace Engine.Networks;

/// <summary>
/// One trainable tensor of a layer with its gradient ∂C/∂θ, both row-major with the same <see cref="Shape"/>. The arrays are
/// allocated on first use, so a layer can be built from a model file's topology and its shapes checked against the file's
/// tensors before any memory is committed to them.
/// </summary>
public sealed class Parameter
{
    private double[]? values, gradient;

    /// <summary>A parameter of the given shape, all zeros.</summary>
    /// <param name="name">What it is within its layer: <c>weight</c> or <c>bias</c>.</param>
    /// <param name="shape">The dimensions, each positive; at most <see cref="Array.MaxLength"/> values in all.</param>
    /// <exception cref="ArgumentOutOfRangeException">A dimension is not positive, or the tensor is too large for one array.</exception>
    public Parameter(string name, params int[] shape)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        long count = 1;
        foreach (int dimension in shape)
        {
            if (dimension <= 0) throw new ArgumentOutOfRangeException(nameof(shape), $"{name}'s dimensions must be positive, but are [{string.Join(", ", shape)}].");
            count *= dimension;
            if (count > Array.MaxLength)
                throw new ArgumentOutOfRangeException(nameof(shape), $"{name} of shape [{string.Join(", ", shape)}] has more values than one array can hold ({Array.MaxLength}).");
        }
        Name = name;
        Shape = shape;
        Count = (int)count;
    }

    /// <summary>What it is within its layer: <c>weight</c> or <c>bias</c>.</summary>
    public string Name { get; }

    /// <summary>The dimensions, e.g. <c>[out, in]</c> for a dense weight.</summary>
    public IReadOnlyList<int> Shape { get; }

    /// <summary>Number of values: the product of <see cref="Shape"/>.</summary>
    public int Count { get; }

    /// <summary>The values θ, updated in place by training.</summary>
    public double[] Values => values ??= new double[Count];

    /// <summary>∂C/∂θ of the batch cost after the last backward pass.</summary>
    public double[] Gradient => gradient ??= new double[Count];

    /// <summary>A frozen parameter is left unchanged by training (its gradient is still computed); e.g. freeze biases to fit weights alone.</summary>
    public bool Frozen { get; set; }

    /// <inheritdoc/>
    public override string ToString() => $"{Name} [{string.Join(", ", Shape)}]";
}
