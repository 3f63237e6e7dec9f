using System.Diagnostics;

namespace SimdDescent.Cli.Tests;

/// <summary>Runs a PyTorch peer script of benchmarks/peers with Debian's <c>/usr/bin/python3</c>, where it has torch.</summary>
internal static class PythonPeer
{
    public const string Python = "/usr/bin/python3";

    public static bool HasTorch() => File.Exists(Python) && Run(["-c", "import torch"]).ExitCode == 0;

    /// <summary>The script's path in the first folder above the test's that holds benchmarks/peers/<paramref name="name"/>.</summary>
    public static string? Script(string name)
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var script = Path.Combine(folder.FullName, "benchmarks", "peers", name);
            if (File.Exists(script))
            {
                return script;
            }
        }

        return null;
    }

    /// <summary>Runs the script on one thread and returns what it printed; fails the test if it fails.</summary>
    public static string RunScript(string script, string[] args)
    {
        var (code, output) = Run([script, .. args]);
        Assert.True(code == 0, $"{Path.GetFileName(script)} {string.Join(' ', args)} failed:{Environment.NewLine}{output}");
        return output;
    }

    private static (int ExitCode, string Output) Run(string[] args)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["OPENBLAS_NUM_THREADS"] = "1";
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), $"{Python} {string.Join(' ', args)} did not finish within three minutes");
        return (process.ExitCode, output + error.Result);
    }
}
