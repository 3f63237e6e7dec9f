using System.CommandLine;
using System.Globalization;
using SimdDescent.Cli.Data;
using SimdDescent.Cli.Training;
using SimdDescent.Training;
using SimdDescent.Training.Search;
using Spectre.Console;

namespace SimdDescent.Cli.Commands;

/// <summary><c>lr-search</c>: grid or random search over learning rate and batch size, or a learning-rate range test.</summary>
internal static class LrSearchCommand
{
    public static Command Create(IAnsiConsole console)
    {
        var mode = new Option<string>("--mode") { Description = "grid, random or range (the learning-rate range test).", DefaultValueFactory = _ => "grid" }
            .AcceptOnlyFromAmong("grid", "random", "range");
        var data = CommonOptions.Data();
        var architecture = CommonOptions.Architecture();
        var optimizer = new Option<string>("--optimizer", "-o") { Description = "sgd, adam, adamw, rmsprop or adagrad.", DefaultValueFactory = _ => "sgd" }
            .AcceptOnlyFromAmong(OptimizerChoice.Names);
        var momentum = new Option<double>("--momentum") { Description = "Momentum (sgd, rmsprop).", DefaultValueFactory = _ => 0.9 };
        var learningRates = new Option<double[]>("--lrs") { Description = "Learning rates for grid search.", DefaultValueFactory = _ => [0.003, 0.01, 0.03, 0.1], AllowMultipleArgumentsPerToken = true };
        var batchSizes = new Option<int[]>("--batch-sizes") { Description = "Batch sizes to try.", DefaultValueFactory = _ => [32], AllowMultipleArgumentsPerToken = true };
        var minLearningRate = new Option<double>("--min-lr") { Description = "Lowest learning rate (random search, range test).", DefaultValueFactory = _ => 1e-4 };
        var maxLearningRate = new Option<double>("--max-lr") { Description = "Highest learning rate (random search, range test).", DefaultValueFactory = _ => 1 };
        var trials = new Option<int>("--trials") { Description = "Trials of random search.", DefaultValueFactory = _ => 6 };
        var epochs = new Option<int>("--epochs", "-e") { Description = "Epochs per trial.", DefaultValueFactory = _ => 3 };
        var steps = new Option<int>("--steps") { Description = "Steps of the range test.", DefaultValueFactory = _ => 100 };
        var seed = CommonOptions.Seed();
        var command = new Command("lr-search", "Search learning rates (and batch sizes) and print the trial table.")
        {
            mode, data, architecture, optimizer, momentum, learningRates, batchSizes, minLearningRate, maxLearningRate, trials, epochs, steps, seed,
        };
        command.SetAction(result =>
        {
            var loaded = LoadedData.Load(result.GetValue(data)!);
            var chosen = CommonOptions.ResolveArchitecture(result.GetValue(architecture), null, loaded.Train.InputWidth);
            var network = chosen.Create();
            var seedValue = result.GetValue(seed);
            network.Initialize((ulong)seedValue);
            var choice = new OptimizerChoice(result.GetValue(optimizer)!, 0.01, result.GetValue(momentum), false, null);
            choice.Validate(momentumGiven: CommonOptions.Given(result, momentum) is not null);
            foreach (var rate in result.GetValue(learningRates)!)
            {
                Expect.PositiveFinite(rate, "--lrs");
            }

            var (low, high) = (result.GetValue(minLearningRate), result.GetValue(maxLearningRate));
            Expect.PositiveFinite(low, "--min-lr");
            Expect.PositiveFinite(high, "--max-lr");
            if (low >= high)
            {
                throw new UserError(string.Create(CultureInfo.InvariantCulture, $"Expected --min-lr < --max-lr, got {low} and {high}."));
            }

            Expect.Positive(result.GetValue(trials), "--trials");
            Expect.Positive(result.GetValue(epochs), "--epochs");
            Expect.InRange(result.GetValue(steps), 2, int.MaxValue, "--steps");
            var sizes = result.GetValue(batchSizes)!;
            foreach (var size in sizes)
            {
                if (size <= 0 || size > network.MaxBatch)
                {
                    throw new UserError($"Expected batch sizes in [1, {network.MaxBatch}], got {size}.");
                }
            }

            var options = new TrainerOptions { BatchSize = sizes[0], Seed = seedValue };
            if (result.GetValue(mode) == "range")
            {
                var range = LearningRateRangeTest.Run(
                    network, choice.Create(network.ParameterCount), options, loaded.Train, result.GetValue(minLearningRate), result.GetValue(maxLearningRate), result.GetValue(steps));
                var table = new Table().AddColumns("learning rate", "loss", "smoothed loss");
                foreach (var point in range.Points)
                {
                    table.AddRow(Format(point.LearningRate, "G4"), Format(point.Loss, "F4"), Format(point.SmoothedLoss, "F4"));
                }

                console.Write(table);
                console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"suggested learning rate: {range.SuggestedLearningRate:G4}{(range.Diverged ? " (the loss diverged at the high end)" : string.Empty)}"));
                return 0;
            }

            // Trials are scored on the last fifth of the training rows; the test rows stay unseen.
            var (train, validation) = loaded.Train.Split(loaded.Train.Count - (loaded.Train.Count / 5));
            var search = new HyperparameterSearch<float>(
                network, lr => choice.Create(network.ParameterCount, lr), options, train, validation, result.GetValue(epochs), (ulong)seedValue);
            var outcome = result.GetValue(mode) == "grid"
                ? search.Grid(result.GetValue(learningRates)!, sizes)
                : search.Random(result.GetValue(minLearningRate), result.GetValue(maxLearningRate), sizes, result.GetValue(trials), seedValue);
            console.WriteLine(outcome.ToTable());
            console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"best: learning rate {outcome.Best.LearningRate:G4}, batch size {outcome.Best.BatchSize}"));
            return 0;
        });
        return command;
    }

    private static string Format(double value, string format) => value.ToString(format, CultureInfo.InvariantCulture);
}
