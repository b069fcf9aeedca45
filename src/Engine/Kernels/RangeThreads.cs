using System.Diagnostics;
using System.Runtime.ExceptionServices;

namespace Engine.Kernels;

/// <summary>Work on the items [start, end) of a batch (its samples, or its rows), each item independent of the others.</summary>
/// <remarks>A struct holding pointers to memory its caller keeps pinned while <see cref="RangeThreads.Run"/> runs: a span cannot
/// be handed to another thread.</remarks>
internal interface IRangeWork
{
    /// <summary>Does the work of items [start, end).</summary>
    /// <param name="start">The first item.</param>
    /// <param name="end">One past the last item.</param>
    void Run(int start, int end);
}

/// <summary>
/// Splits a batch's per-item work into contiguous ranges of items over the caller and persistent worker threads: the strips of
/// a product's columns (<see cref="ProductThreads"/>), the passes around the products (pooling, activations, layout copies) and
/// the convolution's fused passes (im2col and col2im with their products, <see cref="ConvolutionPasses"/>). Each item is
/// computed by one thread, the same way whichever, so the result does not depend on the thread count.
/// </summary>
/// <remarks>
/// The workers are created once and wait on semaphores between runs, and the work is a struct copied into a static slot of
/// its type (one run at a time holds the slot), so a run allocates nothing. A run that finds the workers busy (another caller
/// thread) computes everything on its own thread, with the same result.
/// </remarks>
internal static class RangeThreads
{
    /// <summary>Values touched below which work runs on one thread: waking a worker costs a few microseconds, about what
    /// 2¹⁵ copied or activated values take.</summary>
    public const double MinimumParallelWork = 1 << 15;

    private static readonly Lock Gate = new();
    private static Worker[] workers = [];

    /// <summary>
    /// Creates the workers <paramref name="threads"/> threads need, if they do not exist yet, waiting for a run in progress:
    /// a layer calls it when its thread count is set, so that its first split pass allocates nothing either, even when
    /// another caller held the workers during its warm-up.
    /// </summary>
    /// <param name="threads">Threads a run may use, the caller's included.</param>
    public static void Prepare(int threads)
    {
        lock (Gate) Grow(threads - 1);
    }

    /// <summary>Workers created so far.</summary>
    internal static int WorkerCount => Volatile.Read(ref workers).Length;

    /// <summary>Does <paramref name="work"/> for items [0, <paramref name="count"/>) on up to <paramref name="threads"/> threads.</summary>
    /// <param name="work">The work.</param>
    /// <param name="count">Items.</param>
    /// <param name="workPerItem">Work each item does (values touched, or multiply-adds), to decide whether splitting pays.</param>
    /// <param name="threads">Threads the work may use, the caller's included.</param>
    /// <param name="granularity">Ranges start at multiples of it (e.g. rows whose first value is vector-aligned).</param>
    /// <param name="minimumWork">Work below which the items run on one thread, in the unit of <paramref name="workPerItem"/>.</param>
    public static void Run<TWork>(in TWork work, int count, double workPerItem, int threads, int granularity = 1,
        double minimumWork = MinimumParallelWork) where TWork : struct, IRangeWork
    {
        // The slot's type is created on a work type's first run, split or not (see Slot); once it exists the JIT reads the
        // field as a constant and drops this test.
        if (Slot<TWork>.Run is null) throw new UnreachableException();
        int units = (count + granularity - 1) / granularity;
        int parts = Math.Min(threads, units);
        if (parts <= 1 || count * workPerItem < minimumWork || !Gate.TryEnter())
        {
            work.Run(0, count);
            return;
        }
        try
        {
            Grow(parts - 1);
            Slot<TWork>.Work = work;
            int End(int part) => Math.Min(count, (int)((long)units * part / parts) * granularity);
            for (int part = 1; part < parts; part++) workers[part - 1].Begin(Slot<TWork>.Run, End(part), End(part + 1));
            work.Run(0, End(1));
            for (int part = 1; part < parts; part++) workers[part - 1].Wait();
        }
        finally
        {
            Slot<TWork>.Work = default;
            Gate.Exit();
        }
    }

    /// <summary>Creates workers up to <paramref name="count"/>; the caller holds the gate.</summary>
    private static void Grow(int count)
    {
        if (workers.Length < count) workers = [.. workers, .. Enumerable.Range(0, count - workers.Length).Select(_ => new Worker())];
    }

    /// <summary>The work of the run in progress, per work type, and a delegate (created once) that runs a range of it.</summary>
    /// <remarks>
    /// Creating the type allocates (the delegate, and the box that holds a struct static), so every run reads
    /// <see cref="Run"/> first, split or not: otherwise a type's first split run could come in the middle of training, after a
    /// warm-up that found the workers busy and ran on one thread.
    /// </remarks>
    private static class Slot<TWork> where TWork : struct, IRangeWork
    {
        public static TWork Work;
        public static readonly Action<int, int> Run = static (start, end) => Work.Run(start, end);
    }

    /// <summary>A background thread that runs one range of the current work each time it is started.</summary>
    private sealed class Worker
    {
        // Semaphores rather than ManualResetEventSlim: they create their lock object up front, where the events create theirs
        // on the first wait that blocks, an allocation in the middle of training.
        private readonly SemaphoreSlim start = new(0), done = new(0);
        private Action<int, int>? run;
        private int rangeStart, rangeEnd;
        private ExceptionDispatchInfo? failure;

        public Worker() => new Thread(Loop) { IsBackground = true, Name = "Engine worker" }.Start();

        public void Begin(Action<int, int> next, int from, int to)
        {
            run = next;
            (rangeStart, rangeEnd) = (from, to);
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
                try { run!(rangeStart, rangeEnd); }
                catch (Exception error) { failure = ExceptionDispatchInfo.Capture(error); }
                finally { done.Release(); }
            }
        }
    }
}
