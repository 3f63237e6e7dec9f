namespace SimdDescent.IO;

/// <summary>
/// Replaces a file all at once: the new content is written to a temporary file in the same directory,
/// flushed to the disk, then moved over the target. A crash or an exception during the write leaves the
/// previous file as it was.
/// </summary>
/// <remarks>
/// The temporary file lives next to the target so that the final move is a rename within one file system,
/// which the operating system performs atomically. The directory entry itself is not synced (.NET offers no
/// portable way to fsync a directory), so after a power loss the rename may be missing, but the target then
/// still holds either the old or the new content in full.
/// </remarks>
public static class AtomicFile
{
    /// <summary>Writes a file by handing <paramref name="writeContent"/> a stream to fill, then swapping it in.</summary>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="writeContent">Writes the whole content to the given stream; it must not dispose it.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names no file.</exception>
    public static void Write(string path, Action<Stream> writeContent)
    {
        ArgumentNullException.ThrowIfNull(writeContent);
        Write(path, writeContent, static (stream, write) => write(stream));
    }

    /// <summary>
    /// Writes a file by handing <paramref name="writeContent"/> a stream and <paramref name="state"/>, then
    /// swapping it in; the state parameter lets callers pass a static lambda and avoid a closure.
    /// </summary>
    /// <typeparam name="TState">Whatever the callback needs.</typeparam>
    /// <param name="path">The file to create or replace.</param>
    /// <param name="state">Passed through to <paramref name="writeContent"/>.</param>
    /// <param name="writeContent">Writes the whole content to the given stream; it must not dispose it.</param>
    /// <exception cref="ArgumentException"><paramref name="path"/> is empty or names no file.</exception>
    public static void Write<TState>(string path, TState state, Action<Stream, TState> writeContent)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(writeContent);
        var fullPath = Path.GetFullPath(path);
        var fileName = Path.GetFileName(fullPath);
        if (fileName.Length == 0)
        {
            throw new ArgumentException($"Expected a path to a file, got the directory '{path}'.", nameof(path));
        }

        var directory = Path.GetDirectoryName(fullPath)!;
        var temporaryPath = Path.Combine(directory, $".{fileName}.{Path.GetRandomFileName()}.tmp");
        // Creating the file comes first and outside the cleanup: if it fails there is nothing to delete.
        var stream = new FileStream(temporaryPath, FileMode.CreateNew, FileAccess.Write, FileShare.None);
        try
        {
            using (stream)
            {
                writeContent(stream, state);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporaryPath, fullPath, overwrite: true);
        }
        catch
        {
            File.Delete(temporaryPath);
            throw;
        }
    }
}
