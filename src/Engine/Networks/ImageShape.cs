namespace Engine.Networks;

/// <summary>The shape of one sample's image: channels × height × width, stored row-major (<c>[c, h, w]</c>).</summary>
/// <param name="Channels">Channels.</param>
/// <param name="Height">Rows of pixels.</param>
/// <param name="Width">Columns of pixels.</param>
public readonly record struct ImageShape(int Channels, int Height, int Width)
{
    /// <summary>Values per sample.</summary>
    public int Size => Channels * Height * Width;

    /// <summary>Throws unless every dimension is positive.</summary>
    /// <param name="argument">The argument named in the message.</param>
    public ImageShape Validate(string argument) =>
        Channels > 0 && Height > 0 && Width > 0
            ? this
            : throw new ArgumentOutOfRangeException(argument, this, $"{argument} must have positive channels, height and width, but is {this}.");

    /// <inheritdoc/>
    public override string ToString() => $"[{Channels}, {Height}, {Width}]";
}

/// <summary>Zero padding of a convolution: 'valid' (none), 'same' (output of ⌈input/stride⌉, as TensorFlow and PyTorch), or explicit.</summary>
/// <param name="Top">Rows added above.</param>
/// <param name="Bottom">Rows added below.</param>
/// <param name="Left">Columns added on the left.</param>
/// <param name="Right">Columns added on the right.</param>
public readonly record struct Padding(int Top, int Bottom, int Left, int Right)
{
    /// <summary>Parses "valid", "same" or an integer p (p on every side) for a kernel and stride on an input.</summary>
    /// <param name="mode">The mode.</param>
    /// <param name="input">The input image.</param>
    /// <param name="kernel">Kernel height and width.</param>
    /// <param name="stride">The stride.</param>
    public static Padding Resolve(string mode, ImageShape input, (int Height, int Width) kernel, int stride) => mode switch
    {
        "valid" => default,
        "same" => Same(input, kernel, stride),
        _ when int.TryParse(mode, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int p) => new(p, p, p, p),
        _ => throw new ArgumentException($"padding must be 'valid', 'same' or a non-negative integer, but is '{mode}'.", nameof(mode)),
    };

    /// <summary>'same': output ⌈n/stride⌉ per side, the total padding split with the extra row or column at the bottom and right.</summary>
    private static Padding Same(ImageShape input, (int Height, int Width) kernel, int stride)
    {
        static (int Before, int After) Split(int n, int k, int s)
        {
            int output = (n + s - 1) / s;
            int total = Math.Max((output - 1) * s + k - n, 0);
            return (total / 2, total - total / 2);
        }
        var (top, bottom) = Split(input.Height, kernel.Height, stride);
        var (left, right) = Split(input.Width, kernel.Width, stride);
        return new(top, bottom, left, right);
    }
}
