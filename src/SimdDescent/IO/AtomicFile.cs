using System.Diagnostics;
using System.Globalization;

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
/// still holds either the old or the new content in full. The temporary file's name carries the writer's
/// process ID, so that a later write of the same file deletes what a killed writer left behind while keeping
/// those of writers still running; a directory shared with other machines is out of that check's sight.
/// </remarks>
internal static class AtomicFile
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
        var temporaryPath = Path.Combine(directory, $".{fileName}.{Environment.ProcessId}-{Path.GetRandomFileName().Replace(".", "", StringComparison.Ordinal)}.tmp");
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

        RemoveStaleTemporaryFiles(directory, fileName);
    }

    /// <summary>
    /// Deletes the temporary files of <paramref name="fileName"/> whose writers have died (a killed process cannot
    /// delete its own): only names of exactly the form this class writes, <c>.{name}.{process ID}-{random}.tmp</c>,
    /// whose process no longer runs. Best effort: a file that cannot be deleted now is left for a later write.
    /// </summary>
    private static void RemoveStaleTemporaryFiles(string directory, string fileName)
    {
        var prefix = $".{fileName}.";
        try
        {
            foreach (var path in Directory.EnumerateFiles(directory, ".*.tmp"))
            {
                var name = Path.GetFileName(path);
                if (name.StartsWith(prefix, StringComparison.Ordinal) && WriterOf(name.AsSpan(prefix.Length)) is { } writer && !IsRunning(writer))
                {
                    File.Delete(path);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The new file is in place; leftovers wait for the next write.
        }
    }

    /// <summary>The process ID in "{process ID}-{random}.tmp", or null for any other name (another target's temporary file, say).</summary>
    private static int? WriterOf(ReadOnlySpan<char> rest)
    {
        var dash = rest.IndexOf('-');
        return dash > 0 && rest.IndexOf('.') == rest.Length - ".tmp".Length
            && int.TryParse(rest[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out var processId)
            ? processId
            : null;
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = Process.GetProcessById(processId);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (PlatformNotSupportedException)
        {
            // Without a way to tell, every writer might still be running.
            return true;
        }
    }
}
