using System.CommandLine;
using SimdDescent.Checking;
using SimdDescent.IO.Preprocessing;
using SimdDescent.Randomness;
using Spectre.Console;

namespace SimdDescent.Cli.Commands;

/// <summary><c>gradcheck</c>: compares a built-in network's backward pass with central differences and prints the per-tensor report.</summary>
internal static class GradCheckCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var architecture = new Option<string>("--arch", "-a") { Description = "Built-in architecture to check.", DefaultValueFactory = _ => "digits" }
            .AcceptOnlyFromAmong([.. Architectures.Architecture.Names]);
        var batch = new Option<int>("--batch") { Description = "Rows of random inputs (uniform in [0, 1)) with random labels.", DefaultValueFactory = _ => 4 };
        var seed = CommonOptions.Seed();
        var command = new Command("gradcheck", "Check an architecture's gradients (in double precision) against central differences and print the per-tensor report; exit code 2 when it fails.")
        {
            architecture, batch, seed,
        };
        command.SetAction(result =>
        {
            var chosen = Architectures.Architecture.Named(result.GetValue(architecture)!);
            // The double twin of the architecture: same generated code and layout, tight tolerances.
            var network = chosen.CreateDouble();
            var rows = result.GetValue(batch);
            if (rows <= 0 || rows > network.MaxBatch)
            {
                throw new UserError($"Expected --batch in [1, {network.MaxBatch}], got {rows}.");
            }

            var random = new SplitMix64((ulong)result.GetValue(seed));
            network.Initialize((ulong)result.GetValue(seed));
            var inputs = new double[rows * network.InputWidth];
            for (var i = 0; i < inputs.Length; i++)
            {
                inputs[i] = (random.NextUInt64() >> 11) * (1.0 / (1UL << 53));
            }

            var labels = new int[rows];
            for (var i = 0; i < rows; i++)
            {
                labels[i] = random.NextInt32(network.OutputWidth);
            }

            // A failure goes to the error stream with the report, as from train --gradcheck (exit code 2).
            var report = GradientChecker.Check(network, inputs, labels, rows);
            report.ThrowIfFailed();
            console.WriteLine(report.ToString());
            console.MarkupLine("[green]gradient check passed[/]");
            return 0;
        });
        return command;
    }
}
