using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Engine.Benchmarks;

// Runs every benchmark (or those BenchmarkDotNet's --filter selects), then prints each result as samples/s, GFLOP/s and % of the
// machine's one-core peak measured by the FMA-chain kernel in the same run: at 512 bits where the hardware accelerates them,
// else at 256 (Peak.MachineBits). The other width's peak is printed beside it.
if (args.Length == 0) args = ["--filter", "*"];
var config = DefaultConfig.Instance.AddJob(Job.ShortRun.WithId("short")).WithOptions(ConfigOptions.JoinSummary);
var summaries = BenchmarkSwitcher.FromTypes([typeof(Peak), typeof(Products), typeof(ProductBaselines), typeof(Training), typeof(MathNetTraining), typeof(TrainingPasses)]).Run(args, config).ToList();
var reports = summaries.SelectMany(s => s.Reports).Where(r => r.ResultStatistics is not null).ToList();
double? PeakOf(int bits) => reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == $"FmaChains{bits}") is { } p
    ? Peak.Flops(bits / 64) / p.ResultStatistics!.Mean : null;
double? peak = PeakOf(Peak.MachineBits);

string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
Console.WriteLine();
Console.WriteLine($"Vector<double>: {System.Numerics.Vector<double>.Count * 64} bits; the products' micro-kernel: {(Engine.Kernels.PackedProduct.Uses512Bits ? 512 : System.Numerics.Vector<double>.Count * 64)} bits.");
Console.WriteLine($"| benchmark | time | samples/s | GFLOP/s | % of the one-core peak{(peak is { } pk ? $" ({Peak.MachineBits}-bit, {F(pk, "F1")} GFLOP/s)" : "")} |");
Console.WriteLine("|---|---|---|---|---|");
foreach (var report in reports)
{
    var benchmark = report.BenchmarkCase;
    double nanoseconds = report.ResultStatistics!.Mean;
    string name = benchmark.Descriptor.WorkloadMethodDisplayInfo;
    double flops;
    string samplesPerSecond = "";
    if (benchmark.Descriptor.Type == typeof(Training) || benchmark.Descriptor.Type == typeof(MathNetTraining))
    {
        string workload = (string)benchmark.Parameters["Workload"];
        var (network, batch, samples) = Training.Create(workload);
        int trained = samples / batch * batch;
        flops = Training.FlopsPerSample(network) * trained;
        samplesPerSecond = F(trained / (nanoseconds * 1e-9), "N0");
        name = $"{workload}: {name}";
    }
    else if (benchmark.Descriptor.Type == typeof(Peak))
        flops = benchmark.Descriptor.WorkloadMethod.Name switch
        {
            nameof(Peak.FmaChainsTwoThreads) => 2 * Peak.Flops(Peak.MachineBits / 64),
            var method => Peak.Flops(method.EndsWith("512") ? 8 : 4),
        };
    else if (benchmark.Descriptor.Type == typeof(TrainingPasses)) flops = TrainingPasses.Flops(benchmark.Descriptor.WorkloadMethod.Name);
    else flops = Products.Flops;
    if (benchmark.Parameters["Threads"] is int threads) name += threads == 1 ? ", 1 thread" : $", {threads} threads";
    double gflops = flops / nanoseconds;
    string time = nanoseconds < 1e5 ? $"{F(nanoseconds / 1e3, "F2")} µs" : $"{F(nanoseconds / 1e6, "F2")} ms";
    bool counted = flops > 0;
    Console.WriteLine($"| {name} | {time} | {samplesPerSecond} | {(counted ? F(gflops, "F2") : "")} | {(counted && peak is { } q ? F(100 * gflops / q, "F1") + " %" : "")} |");
}
