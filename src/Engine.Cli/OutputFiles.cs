namespace Engine.Cli;

/// <summary>Files nn writes, with errors that name the option that chose the path.</summary>
public static class OutputFiles
{
    /// <summary>Throws unless <paramref name="path"/> can be a new file: not a folder, in a folder that exists.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="option">The option that chose it.</param>
    public static void RequireWritable(string path, string option)
    {
        if (Directory.Exists(path)) throw new BadInputException($"{option}: cannot write '{path}': it is a folder.");
        string? folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null && !Directory.Exists(folder)) throw new BadInputException($"{option}: cannot write '{path}': the folder '{folder}' does not exist.");
    }

    /// <summary>Runs <paramref name="write"/>, turning the ways writing can fail into errors that name the option and the path.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="option">The option that chose it (or the option it was derived from).</param>
    /// <param name="write">Writes the file.</param>
    public static void Write(string path, string option, Action<string> write)
    {
        RequireWritable(path, option);
        try
        {
            write(path);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new BadInputException($"{option}: cannot write '{path}': permission denied.", e);
        }
        catch (IOException e)
        {
            throw new BadInputException($"{option}: cannot write '{path}': {e.Message}", e);
        }
    }
}
