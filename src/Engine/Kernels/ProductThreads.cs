namespace Engine.Kernels;

/// <summary>
/// Splits a large product's columns over the caller and <see cref="RangeThreads"/>' workers, in whole strips of
/// <see cref="PackedProduct.MicroColumns"/>, or its rows, in whole micro-tiles of <see cref="PackedProduct.MicroRows"/>. Each
/// thread computes whole outputs (never part of a sum), and <see cref="PackedProduct"/> computes an output the same way
/// whatever its row and column range, so the result is bit-identical for every thread count.
/// </summary>
/// <remarks>
/// The products share their workers with the passes around them (the convolution's fused passes, pooling, activations): one pool, so that a worker
/// idling after one kind of work never competes for a core with a worker of another kind.
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
        int tiles = (task.M + PackedProduct.MicroRows - 1) / PackedProduct.MicroRows;
        // Where B is read in place (no strip is packed twice), rows split as well as columns: the split that leaves the busiest
        // thread the fewest items. The weight gradient of a [784 → 256] layer has 49 strips (25 and 24 on two threads, at most
        // 1.96× of one) but 16 row tiles at batch 128 (8 and 8).
        if (task.B.ColumnStride == 1 && Busiest(tiles, threads) * strips < Busiest(strips, threads) * tiles)
            RangeThreads.Run(new RowTiles(task), tiles, (double)PackedProduct.MicroRows * task.K * task.N, threads, minimumWork: MinimumParallelWork);
        else
            RangeThreads.Run(new Strips(task), strips, (double)task.M * task.K * PackedProduct.MicroColumns, threads, minimumWork: MinimumParallelWork);
    }

    /// <summary>Items of the busiest thread when <paramref name="items"/> split over <paramref name="threads"/>.</summary>
    private static long Busiest(int items, int threads) => (items + threads - 1) / threads;

    /// <summary>The columns of strips [start, end) of a product.</summary>
    private readonly struct Strips(ProductTask task) : IRangeWork
    {
        public void Run(int start, int end) =>
            PackedProduct.Run(task, 0, task.M, start * PackedProduct.MicroColumns, Math.Min(task.N, end * PackedProduct.MicroColumns));
    }

    /// <summary>The rows of micro-tiles [start, end) of a product.</summary>
    private readonly struct RowTiles(ProductTask task) : IRangeWork
    {
        public void Run(int start, int end) =>
            PackedProduct.Run(task, start * PackedProduct.MicroRows, Math.Min(task.M, end * PackedProduct.MicroRows), 0, task.N);
    }
}
