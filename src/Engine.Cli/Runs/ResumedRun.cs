using System.Globalization;
using Engine.Serialization;
using Engine.Training;

namespace Engine.Cli.Runs;

/// <summary>What a run's checkpoint holds beside the trainer's state: its settings, its data's digest, and its outputs so far.</summary>
/// <param name="Checkpoint">The trainer's state after the last completed epoch.</param>
/// <param name="Settings">The run's options (<see cref="RunSettings"/>).</param>
/// <param name="Digest">SHA-256 of the data as read (<see cref="RunRecord.DigestOf"/>).</param>
/// <param name="Metrics">The metrics of the epochs done.</param>
/// <param name="InitialLoss">The untrained network's loss on the training part, for the explosion rule.</param>
/// <param name="Gradients">With <c>--diagnostics</c>, the statistics of the epochs done.</param>
public sealed record ResumedRun(TrainingCheckpoint Checkpoint, string Settings, string Digest, List<MetricsRow> Metrics, double InitialLoss, GradientReport? Gradients)
{
    /// <summary>The checkpoint's file name in a run folder.</summary>
    public const string FileName = "checkpoint.safetensors";

    /// <summary>The checkpoint's metadata entries for a run's state.</summary>
    /// <param name="settings">The run's options, encoded.</param>
    /// <param name="digest">The data's digest.</param>
    /// <param name="metrics">The metrics of the epochs done.</param>
    /// <param name="initialLoss">The initial loss.</param>
    /// <param name="gradients">The diagnostics so far, if any.</param>
    public static Dictionary<string, string> Metadata(string settings, string digest, IReadOnlyList<MetricsRow> metrics, double initialLoss, GradientReport? gradients)
    {
        var entries = new Dictionary<string, string>
        {
            ["settings"] = settings,
            ["data_sha256"] = digest,
            ["metrics"] = Cli.Metrics.Csv(metrics),
            ["initial_loss"] = initialLoss.ToString("R", CultureInfo.InvariantCulture),
        };
        if (gradients is not null) entries["gradients"] = gradients.Csv();
        return entries;
    }

    /// <summary>Reads <c>DIR/checkpoint.safetensors</c>; every problem is an error naming <c>--resume</c>.</summary>
    /// <param name="folder">The run's folder.</param>
    public static ResumedRun Load(string folder)
    {
        if (!Directory.Exists(folder)) throw new BadInputException($"--resume '{folder}': no such folder.");
        string path = Path.Combine(folder, FileName);
        if (!File.Exists(path))
            throw new BadInputException($"--resume '{folder}' has no {FileName}: nn train writes one every --checkpoint-every epochs, when stopped by Ctrl+C or SIGTERM, and at the end.");
        var (checkpoint, metadata) = InputFiles.Read(path, "--resume", file =>
        {
            try { return CheckpointFile.Load(file); }
            catch (ModelFormatException e) { throw new BadInputException($"--resume '{folder}': {FileName} is not a valid checkpoint: {e.Message}", e); }
        });
        string Get(string key) => metadata.TryGetValue(key, out var value) ? value
            : throw new BadInputException($"--resume '{folder}': {FileName} lacks the entry '{key}' that nn train writes.");
        try
        {
            return new ResumedRun(checkpoint, Get("settings"), Get("data_sha256"), Cli.Metrics.Parse(Get("metrics")),
                double.Parse(Get("initial_loss"), NumberStyles.Float, CultureInfo.InvariantCulture),
                metadata.TryGetValue("gradients", out var gradients) ? GradientReport.Parse(gradients) : null);
        }
        catch (FormatException e)
        {
            throw new BadInputException($"--resume '{folder}': {FileName} is not a valid checkpoint: {e.Message}", e);
        }
    }
}
