using System.CommandLine;
using SimdDescent.Cli.Architectures;
using SimdDescent.Cli.Data;

namespace SimdDescent.Cli.Commands;

/// <summary>Options several commands share, each built fresh per command (an option belongs to one parent).</summary>
internal static class CommonOptions
{
    public static Option<string> Data(string defaultValue = "digits") => new("--data", "-d")
    {
        Description = $"The data set: {LoadedData.Help}.",
        DefaultValueFactory = _ => defaultValue,
    };

    public static Option<string?> Architecture() => new Option<string?>("--arch", "-a")
    {
        Description = "Built-in architecture (default: digits for 64 features, mlp128 for 784). "
            + string.Join("; ", Architectures.Architecture.All.Select(a => $"{a.Name}: {a.Description}")),
    }.AcceptOnlyFromAmong([.. Architectures.Architecture.Names]);

    public static Option<int> Seed() => new("--seed")
    {
        Description = "Seed of the initial weights and of the shuffles.",
        DefaultValueFactory = _ => 0,
    };

    public static Option<string> RequiredFile(string name, string description) => new(name)
    {
        Description = description,
        Required = true,
    };

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

    public static void Positive(int value, string option)
    {
        if (value <= 0)
        {
            throw new UserError($"Expected {option} > 0, got {value}.");
        }
    }
}
