namespace Engine.Optimizers;

/// <summary>
/// What an optimizer keeps for one parameter, or for a contiguous slice of it: its buffers (as many as
/// <see cref="Optimizer.StateNames"/>) and its step count. A view: the buffers belong to the <see cref="OptimizerState"/>.
/// </summary>
public readonly struct ParameterState
{
    private readonly double[][] buffers;
    private readonly int start, length;

    internal ParameterState(double[][] buffers, long step, int start, int length)
    {
        this.buffers = buffers;
        Step = step;
        this.start = start;
        this.length = length;
    }

    /// <summary>Steps this parameter has taken, this one included while the rule runs: PyTorch's per-parameter <c>state["step"]</c>.</summary>
    public long Step { get; }

    /// <summary>Number of buffers (0 for <c>default</c>).</summary>
    public int Count => buffers?.Length ?? 0;

    /// <summary>Buffer <paramref name="index"/> over the slice, in the order of <see cref="Optimizer.StateNames"/>: element i belongs to value i of the slice.</summary>
    /// <param name="index">0 ≤ index &lt; <see cref="Count"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">The index is outside [0, Count).</exception>
    public Span<double> this[int index] => (uint)index < (uint)Count ? buffers[index].AsSpan(start, length)
        : throw new ArgumentOutOfRangeException(nameof(index), index, $"index must lie in [0, {Count}), the number of buffers.");
}
