namespace SimdDescent.Cli.Commands;

/// <summary>Checks, before any work starts, that a file a command will write can be written: a typo must not cost a long run.</summary>
internal static class OutputFile
{
    /// <summary>Checks every file a run will write (null: not asked for) and that no two options name the same one.</summary>
    public static void CheckAll(params (string? Path, string Option)[] outputs)
    {
        foreach (var (path, option) in outputs)
        {
            if (path is not null)
            {
                CheckWritable(path, option);
            }
        }

        var written = outputs.Where(o => o.Path is not null).GroupBy(o => Path.GetFullPath(o.Path!)).FirstOrDefault(g => g.Count() > 1);
        if (written is not null)
        {
            throw new UserError($"{string.Join(" and ", written.Select(o => o.Option))} name the same file '{written.First().Path}'; give each its own.");
        }
    }

    public static void CheckWritable(string path, string option)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            throw new UserError($"{option} '{path}' is a directory; expected the path of a file to write.");
        }

        var directory = Path.GetDirectoryName(full) ?? full;
        if (!Directory.Exists(directory))
        {
            throw new UserError($"Cannot write {option} '{path}': the directory '{directory}' does not exist.");
        }

        // Creating a file is the only reliable test of permissions (ACLs, read-only mounts); it is deleted on close.
        var probe = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.probe");
        try
        {
            using (File.Create(probe, 1, FileOptions.DeleteOnClose))
            {
            }
        }
        catch (Exception e) when (e is UnauthorizedAccessException or IOException)
        {
            throw new UserError($"Cannot write {option} '{path}': {e.Message}");
        }
    }
}
