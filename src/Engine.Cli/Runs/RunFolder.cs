using System.Globalization;

namespace Engine.Cli.Runs;

/// <summary>
/// The folder a training run writes into. Every run gets its own: by default <c>runs/yyyyMMdd-HHmmss</c>, with <c>-2</c>, <c>-3</c>, …
/// appended when that name is taken, claimed atomically (a lock file created exclusively), so runs started in the same second
/// never share a folder. A folder given with <c>--out</c> must be new or empty, unless <c>--overwrite</c> allows nn to replace
/// the files it writes there (other files are left alone). A run that fails before writing anything leaves no folder behind.
/// </summary>
public sealed class RunFolder : IDisposable
{
    /// <summary>The files nn writes into a run folder: what <c>--overwrite</c> removes before a new run.</summary>
    public static readonly string[] Owned =
        ["model.safetensors", "metrics.csv", "loss.png", "accuracy.png", "gradients.csv", "gradients.png", "saturation.png", "checkpoint.safetensors"];

    private const string LockName = ".nn-run.lock";
    private readonly bool created;

    private RunFolder(string path, bool created)
    {
        Path = path;
        this.created = created;
    }

    /// <summary>The folder, as it is printed.</summary>
    public string Path { get; }

    /// <summary>The path of a file in the folder.</summary>
    /// <param name="name">The file's name.</param>
    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Claims the run's folder.</summary>
    /// <param name="output">The <c>--out</c> value, or null for a new folder under <c>runs/</c>.</param>
    /// <param name="overwrite">Whether <c>--overwrite</c> was given.</param>
    /// <param name="now">The start time, which names the default folder.</param>
    public static RunFolder Claim(string? output, bool overwrite, DateTime now)
    {
        if (output is null)
        {
            string stem = System.IO.Path.Combine("runs", now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture));
            for (int n = 1; ; n++)
            {
                string candidate = n == 1 ? stem : $"{stem}-{n}";
                if (!Directory.Exists(candidate) && TryClaim(candidate)) return new RunFolder(candidate, created: true);
            }
        }
        if (System.IO.File.Exists(output)) throw new BadInputException($"--out '{output}' is a file, not a folder.");
        bool existed = Directory.Exists(output);
        if (existed && Directory.EnumerateFileSystemEntries(output).Any())
        {
            if (!overwrite)
                throw new BadInputException($"--out '{output}' is not empty; choose a new folder, or pass --overwrite to replace the files nn writes there.");
            foreach (string name in Owned) System.IO.File.Delete(System.IO.Path.Combine(output, name));
        }
        if (!TryClaim(output)) throw new BadInputException($"--out '{output}' is in use by another nn train.");
        return new RunFolder(output, created: !existed);
    }

    /// <summary>Claims an existing run's folder to continue it (<c>--resume</c>); its files stay.</summary>
    /// <param name="folder">The run's folder.</param>
    public static RunFolder Reclaim(string folder) =>
        TryClaim(folder) ? new RunFolder(folder, created: false) : throw new BadInputException($"--resume '{folder}' is in use by another nn train.");

    /// <summary>
    /// Creates the folder if needed and its lock file exclusively, holding this process's id; a lock left by a process that no
    /// longer runs (killed before it could release it) is taken over.
    /// </summary>
    private static bool TryClaim(string folder)
    {
        string lockFile = System.IO.Path.Combine(folder, LockName);
        try
        {
            Directory.CreateDirectory(folder);
            for (int attempt = 0; ; attempt++)
            {
                try
                {
                    using var stream = new FileStream(lockFile, FileMode.CreateNew, FileAccess.Write);
                    stream.Write(System.Text.Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture)));
                    return true;
                }
                catch (IOException) when (System.IO.File.Exists(lockFile) && attempt == 0 && IsStale(lockFile))
                {
                    System.IO.File.Delete(lockFile);
                }
                catch (IOException) when (System.IO.File.Exists(lockFile))
                {
                    return false;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new BadInputException($"cannot create the run folder '{folder}': {e.Message}", e);
        }
    }

    /// <summary>Whether a lock file names a process that is no longer running.</summary>
    private static bool IsStale(string lockFile)
    {
        try
        {
            if (!int.TryParse(System.IO.File.ReadAllText(lockFile), NumberStyles.None, CultureInfo.InvariantCulture, out int id)) return false;
            using var process = System.Diagnostics.Process.GetProcessById(id);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Releases the folder; removes it when nn created it and wrote nothing into it.</summary>
    public void Dispose()
    {
        try
        {
            System.IO.File.Delete(File(LockName));
            if (created && Directory.Exists(Path) && !Directory.EnumerateFileSystemEntries(Path).Any()) Directory.Delete(Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Releasing is best effort: the run's files are already written.
        }
    }
}
