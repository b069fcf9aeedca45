using System.Runtime.ExceptionServices;

namespace Engine.Kernels;

/// <summary>
/// Splits a large product's columns over the caller and persistent worker threads. Each thread computes whole outputs
/// (never part of a sum), and <see cref="PackedProduct"/> computes an output the same way whatever its column range, so
/// the result is bit-identical for every thread count.
/// </summary>
/// <remarks>
/// The workers are created once and wait on events between products, so a product allocates nothing. One product at a time
/// uses them; a product that finds them busy (another caller thread) runs on its own thread, with the same result.
/// </remarks>
internal static class ProductThreads
{
    /// <summary>Multiply-adds below which a product runs on one thread: waking a worker costs microseconds, about what
    /// 2²¹ multiply-adds take on one core.</summary>
    public const double MinimumParallelWork = 1 << 21;

    private static readonly Lock Gate = new();
    private static Worker[] workers = [];

    /// <summary>Computes the task on up to <paramref name="threads"/> threads.</summary>
    public static void Run(in ProductTask task, int threads)
    {
        int width = PackedProduct.MicroColumns;
        int strips = (task.N + width - 1) / width;
        int parts = Math.Min(threads, strips);
        if (parts <= 1 || (double)task.M * task.N * task.K < MinimumParallelWork || !Gate.TryEnter())
        {
            PackedProduct.Run(task, 0, task.N);
            return;
        }
        try
        {
            if (workers.Length < parts - 1) workers = [.. workers, .. Enumerable.Range(0, parts - 1 - workers.Length).Select(_ => new Worker())];
            int columns = task.N;
            int End(int part) => Math.Min(columns, (int)((long)strips * part / parts) * width);
            for (int part = 1; part < parts; part++) workers[part - 1].Begin(task, End(part), End(part + 1));
            PackedProduct.Run(task, 0, End(1));
            for (int part = 1; part < parts; part++) workers[part - 1].Wait();
        }
        finally
        {
            Gate.Exit();
        }
    }

    /// <summary>A background thread that computes one column range of a product each time it is started.</summary>
    private sealed class Worker
    {
        // Semaphores rather than ManualResetEventSlim: they create their lock object up front, where the events create theirs
        // on the first wait that blocks, an allocation in the middle of training.
        private readonly SemaphoreSlim start = new(0), done = new(0);
        private ProductTask task;
        private int columnStart, columnEnd;
        private ExceptionDispatchInfo? failure;

        public Worker() => new Thread(Loop) { IsBackground = true, Name = "Engine product worker" }.Start();

        public void Begin(in ProductTask next, int from, int to)
        {
            task = next;
            (columnStart, columnEnd) = (from, to);
            start.Release();
        }

        public void Wait()
        {
            done.Wait();
            if (failure is { } error) { failure = null; error.Throw(); }
        }

        private void Loop()
        {
            while (true)
            {
                start.Wait();
                try { PackedProduct.Run(task, columnStart, columnEnd); }
                catch (Exception error) { failure = ExceptionDispatchInfo.Capture(error); }
                finally { done.Release(); }
            }
        }
    }
}
