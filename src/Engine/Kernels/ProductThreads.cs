namespace Engine.Kernels;

/// <summary>
/// Splits a large product's columns over the caller and <see cref="RangeThreads"/>' workers, in whole strips of
/// <see cref="PackedProduct.MicroColumns"/>. Each thread computes whole outputs (never part of a sum), and
/// <see cref="PackedProduct"/> computes an output the same way whatever its column range, so the result is bit-identical for
/// every thread count. Columns, not rows, even where they split unevenly (49 strips: 25 and 24): a thread's rows would need
/// all of B, its columns only their own strips, and the backward product of a [784 → 256] layer ran 1.85–1.88× on two
/// threads split by rows against 1.90–1.93× by columns (docs/performance.md).
/// </summary>
/// <remarks>
/// The products share their workers with the passes around them (the convolution's fused passes, pooling, activations): one
/// pool, so that a worker idling after one kind of work never competes for a core with a worker of another kind.
/// </remarks>
internal static class ProductThreads
{
    /// <summary>Multiply-adds below which a product runs on one thread: waking a worker costs microseconds, about what
    /// 2²¹ multiply-adds take on one core.</summary>
    public const double MinimumParallelWork = 1 << 21;

    /// <summary>Computes the task on up to <paramref name="threads"/> threads.</summary>
    public static void Run(in ProductTask task, int threads)
    {
        int strips = (task.N + PackedProduct.MicroColumns - 1) / PackedProduct.MicroColumns;
        RangeThreads.Run(new Strips(task), strips, (double)task.M * task.K * PackedProduct.MicroColumns, threads, minimumWork: MinimumParallelWork);
    }

    /// <summary>The columns of strips [start, end) of a product.</summary>
    private readonly struct Strips(ProductTask task) : IRangeWork
    {
        public void Run(int start, int end) =>
            PackedProduct.Run(task, start * PackedProduct.MicroColumns, Math.Min(task.N, end * PackedProduct.MicroColumns));
    }
}
