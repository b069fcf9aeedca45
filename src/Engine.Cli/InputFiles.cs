using Engine.Serialization;

namespace Engine.Cli;

/// <summary>Files named on the command line, opened with errors that name the option and the file.</summary>
public static class InputFiles
{
    /// <summary>Throws unless <paramref name="path"/> is an existing file (not a folder).</summary>
    /// <param name="path">The path given.</param>
    /// <param name="option">The option that gave it, e.g. <c>--model</c>.</param>
    public static void RequireFile(string path, string option)
    {
        if (Directory.Exists(path)) throw new BadInputException($"{option} '{path}' is a folder, not a file.");
        if (!File.Exists(path)) throw new BadInputException($"{option} '{path}': no such file.");
    }

    /// <summary>Runs <paramref name="read"/> on a file, turning the ways reading it can fail into errors that name it.</summary>
    /// <param name="path">The path given.</param>
    /// <param name="option">The option that gave it.</param>
    /// <param name="read">Reads the file.</param>
    public static T Read<T>(string path, string option, Func<string, T> read)
    {
        RequireFile(path, option);
        try
        {
            return read(path);
        }
        catch (UnauthorizedAccessException)
        {
            throw new BadInputException($"{option} '{path}': permission denied.");
        }
        catch (Exception e) when (e is IOException and not FileNotFoundException and not DirectoryNotFoundException)
        {
            throw new BadInputException($"{option} '{path}': {e.Message}", e);
        }
    }

    /// <summary>Loads a model file; every way it can be invalid is an error naming the option and the file.</summary>
    /// <param name="path">The path given.</param>
    /// <param name="option">The option that gave it.</param>
    public static Model LoadModel(string path, string option = "--model")
    {
        var model = Read(path, option, file =>
        {
            try { return ModelFile.Load(file); }
            catch (ModelFormatException e) { throw new BadInputException($"{option} '{path}' is not a valid model file: {e.Message}", e); }
        });
        Runs.ParameterBudget.Check(model.Network, Runs.ParameterBudget.EvaluationBatch, $"{option} '{path}'");
        return model;
    }
}
