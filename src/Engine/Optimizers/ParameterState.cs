namespace Engine.Optimizers;

/// <summary>What an optimizer keeps for one parameter: its buffers (as many as <see cref="Optimizer.StateNames"/>) and its step count.</summary>
public sealed class ParameterState
{
    private readonly double[][] buffers;

    internal ParameterState(double[][] buffers) => this.buffers = buffers;

    /// <summary>Steps this parameter has taken, this one included while the rule runs: PyTorch's per-parameter <c>state["step"]</c>.</summary>
    public long Step { get; internal set; }

    /// <summary>Number of buffers.</summary>
    public int Count => buffers.Length;

    /// <summary>Buffer <paramref name="index"/>, as long as the parameter, in the order of <see cref="Optimizer.StateNames"/>.</summary>
    /// <param name="index">0 ≤ index &lt; <see cref="Count"/>.</param>
    public Span<double> this[int index] => buffers[index];

    internal double[] Array(int index) => buffers[index];
}
