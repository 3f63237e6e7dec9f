using System.Diagnostics;
using System.Text;
using SimdDescent.IO;

namespace SimdDescent.Tests.IO;

public sealed class AtomicFileTests
{
    [Fact]
    public void Write_creates_a_file_with_exactly_the_written_content_and_no_leftovers()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("model.bin");

        AtomicFile.Write(path, stream => stream.Write([1, 2, 3]));

        Assert.Equal([1, 2, 3], File.ReadAllBytes(path));
        Assert.Equal(["model.bin"], directory.FileNames());
    }

    [Fact]
    public void Write_replaces_an_existing_file()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("model.bin");
        File.WriteAllText(path, "old content that is longer than the new one");

        AtomicFile.Write(path, "new", static (stream, text) => stream.Write(Encoding.UTF8.GetBytes(text)));

        Assert.Equal("new", File.ReadAllText(path));
        Assert.Equal(["model.bin"], directory.FileNames());
    }

    [Fact]
    public void A_write_that_fails_midway_leaves_the_previous_file_intact_and_no_temporary_file()
    {
        using var directory = new TemporaryDirectory();
        var path = directory.File("model.bin");
        File.WriteAllText(path, "previous");

        var thrown = Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write(new byte[100_000]);
            throw new IOException("disk full, say");
        }));

        Assert.Equal("disk full, say", thrown.Message);
        Assert.Equal("previous", File.ReadAllText(path));
        Assert.Equal(["model.bin"], directory.FileNames());
    }

    [Fact]
    public void A_failed_first_write_creates_nothing()
    {
        using var directory = new TemporaryDirectory();

        Assert.Throws<InvalidOperationException>(() =>
            AtomicFile.Write(directory.File("model.bin"), _ => throw new InvalidOperationException()));

        Assert.Empty(directory.FileNames());
    }

    [Fact]
    public void The_temporary_file_lives_in_the_target_directory_while_writing()
    {
        using var directory = new TemporaryDirectory();
        string[]? during = null;

        AtomicFile.Write(directory.File("model.bin"), _ => during = directory.FileNames());

        var temporary = Assert.Single(during!);
        Assert.StartsWith(".model.bin.", temporary);
        Assert.EndsWith(".tmp", temporary);
    }

    [Fact]
    public void Write_rejects_a_directory_path() =>
        Assert.Throws<ArgumentException>(() => AtomicFile.Write(Path.GetTempPath(), _ => { }));

    [Fact]
    public void Write_into_a_missing_directory_throws_without_creating_it()
    {
        using var directory = new TemporaryDirectory();
        var missing = Path.Combine(directory.Path, "missing", "model.bin");

        Assert.Throws<DirectoryNotFoundException>(() => AtomicFile.Write(missing, _ => { }));
        Assert.False(Directory.Exists(Path.GetDirectoryName(missing)));
    }

    [Fact]
    public void A_write_deletes_temporary_files_of_the_same_target_whose_writer_died_and_keeps_all_others()
    {
        using var directory = new TemporaryDirectory();
        int deadProcess;
        using (var child = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!)
        {
            child.WaitForExit();
            deadProcess = child.Id;
        }

        string[] leftovers =
        [
            $".model.bin.{deadProcess}-k3jd0x8qzfa.tmp",
            $".model.bin.{Environment.ProcessId}-p0wq8e3mzta.tmp",
            $".other.bin.{deadProcess}-k3jd0x8qzfa.tmp",
            $".model.bin.{deadProcess}.abcdefgh.ijk.tmp",
            ".model.bin.k3jd0x8q.zfa.tmp",
        ];
        foreach (var name in leftovers)
        {
            File.WriteAllText(directory.File(name), "partial");
        }

        AtomicFile.Write(directory.File("model.bin"), stream => stream.Write([1]));

        Assert.Equal([.. leftovers[1..].Append("model.bin").Order(StringComparer.Ordinal)], directory.FileNames());
    }

    [Fact]
    public void The_temporary_file_names_its_writer_process()
    {
        using var directory = new TemporaryDirectory();
        string[]? during = null;

        AtomicFile.Write(directory.File("model.bin"), _ => during = directory.FileNames());

        Assert.Matches($@"^\.model\.bin\.{Environment.ProcessId}-[a-z0-9]{{11}}\.tmp$", Assert.Single(during!));
    }
}
