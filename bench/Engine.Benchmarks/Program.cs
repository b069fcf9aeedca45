using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Engine.Benchmarks;

// Runs every benchmark (or those BenchmarkDotNet's --filter selects), then prints each result as samples/s, GFLOP/s and % of the
// one-core peak measured by the FMA-chain kernel in the same run.
if (args.Length == 0) args = ["--filter", "*"];
var config = DefaultConfig.Instance.AddJob(Job.ShortRun.WithId("short")).WithOptions(ConfigOptions.JoinSummary);
var summaries = BenchmarkSwitcher.FromTypes([typeof(Peak), typeof(Products), typeof(ProductBaselines), typeof(Training), typeof(MathNetTraining)]).Run(args, config).ToList();
var reports = summaries.SelectMany(s => s.Reports).Where(r => r.ResultStatistics is not null).ToList();
double? peak = reports.FirstOrDefault(r => r.BenchmarkCase.Descriptor.Type == typeof(Peak)) is { } p
    ? Peak.Flops / p.ResultStatistics!.Mean : null;

string F(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
Console.WriteLine();
Console.WriteLine($"| benchmark | time | samples/s | GFLOP/s | % of one-core peak{(peak is { } pk ? $" ({F(pk, "F1")} GFLOP/s)" : "")} |");
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
    else flops = benchmark.Descriptor.Type == typeof(Peak) ? Peak.Flops : Products.Flops;
    if (benchmark.Parameters["Threads"] is int threads) name += threads == 1 ? ", 1 thread" : $", {threads} threads";
    double gflops = flops / nanoseconds;
    Console.WriteLine($"| {name} | {F(nanoseconds / 1e6, "F2")} ms | {samplesPerSecond} | {F(gflops, "F2")} | {(peak is { } q ? F(100 * gflops / q, "F1") + " %" : "")} |");
}
