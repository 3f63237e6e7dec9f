using System.CommandLine;
using SimdDescent.Cli.Architectures;
using SimdDescent.Cli.Data;
using SimdDescent.Cli.Training;

namespace SimdDescent.Cli.Commands;

/// <summary>Options several commands share, each built fresh per command (an option belongs to one parent).</summary>
internal static class CommonOptions
{
    public static Option<string> Data() => new("--data", "-d")
    {
        Description = $"The data set: {LoadedData.Help}.",
        DefaultValueFactory = _ => "digits",
    };

    /// <summary>--data of the commands that read a weights file: by default the data set the weights were trained on.</summary>
    public static Option<string?> DataOfWeights() => new("--data", "-d")
    {
        Description = $"The data set: {LoadedData.Help} (default: the one the weights file records, else digits).",
    };

    public static Option<string?> Classes() => new("--classes") { Description = ClassSelection.Help };

    /// <summary>--classes of the commands that read a weights file: by default the classes the weights were trained on.</summary>
    public static Option<string?> ClassesOfWeights() => new("--classes") { Description = ClassSelection.Help + " Default: the classes the weights file records, else all." };

    public static Option<string?> Architecture() => new Option<string?>("--arch", "-a")
    {
        Description = "Built-in architecture (default: digits for 64 features, mlp128 for 784). "
            + string.Join("; ", Architectures.Architecture.All.Select(a => $"{a.Name}: {a.Description}")),
    }.AcceptOnlyFromAmong([.. Architectures.Architecture.Names]);

    public static Option<int> Seed() => new("--seed")
    {
        Description = "Seed of the initial weights and of the shuffles (on --resume: the checkpoint's).",
        DefaultValueFactory = _ => RunSettings.DefaultSeed,
    };

    public static Option<string> RequiredFile(string name, string description) => new(name)
    {
        Description = description,
        Required = true,
    };

    /// <summary>The option's value when the command line gives it, null when it would be the default.</summary>
    public static T? Given<T>(ParseResult result, Option<T> option)
        where T : struct =>
        result.GetResult(option) is { Implicit: false } ? result.GetValue(option) : null;

    /// <summary>The architecture asked for, else the one recorded in a weights file, else the default for the data.</summary>
    public static Architecture ResolveArchitecture(string? requested, IReadOnlyDictionary<string, string>? metadata, int inputs)
    {
        var name = requested ?? (metadata is not null && metadata.TryGetValue("architecture", out var stored) ? stored : null);
        var architecture = name is null ? Architectures.Architecture.For(inputs) : Architectures.Architecture.Named(name);
        if (architecture.Inputs != inputs)
        {
            throw new UserError($"Architecture '{architecture.Name}' takes {architecture.Inputs} inputs, but the data has {inputs} features.");
        }

        return architecture;
    }
}
