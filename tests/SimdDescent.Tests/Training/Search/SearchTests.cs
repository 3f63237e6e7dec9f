using SimdDescent.Networks;
using SimdDescent.Tests.Training.Support;
using SimdDescent.Training;
using SimdDescent.Training.Optimizers;
using SimdDescent.Training.Search;

namespace SimdDescent.Tests.Training.Search;

public sealed class SearchTests
{
    [Fact]
    public void Grid_search_tries_every_combination_and_sorts_by_validation_loss()
    {
        var (search, _, training) = Setup();
        var orderBefore = training.Inputs.ToArray();

        var result = search.Grid([1e-4, 1e-2, 0.3, 1e6], [16, 64]);

        Assert.Equal(8, result.Trials.Count);
        Assert.Equal(
            [(1e-4, 16), (1e-4, 64), (1e-2, 16), (1e-2, 64), (0.3, 16), (0.3, 64), (1e6, 16), (1e6, 64)],
            result.Trials.Select(t => (t.LearningRate, t.BatchSize)).Order());
        var finite = result.Trials.Where(t => !t.Diverged).Select(t => t.ValidationLoss).ToArray();
        Assert.Equal(finite.Order(), finite);
        Assert.Contains(result.Best.LearningRate, new[] { 1e-2, 0.3 });
        // A rate of 10⁶ blows up (NaN, or a finite but astronomical loss): those trials rank last.
        Assert.All(result.Trials.Skip(6), t => Assert.Equal(1e6, t.LearningRate));
        Assert.Equal(orderBefore, training.Inputs.ToArray());
        Assert.Contains("learning rate", result.ToTable(), StringComparison.Ordinal);
    }

    [Fact]
    public void Trials_are_reproducible()
    {
        var (first, _, _) = Setup();
        var (second, _, _) = Setup();

        Assert.Equal(first.Random(1e-3, 1, [16, 32], trials: 4, seed: 5).Trials, second.Random(1e-3, 1, [16, 32], trials: 4, seed: 5).Trials);
    }

    [Fact]
    public void Random_search_draws_rates_inside_the_range()
    {
        var (search, _, _) = Setup();

        var result = search.Random(1e-3, 1e-1, [32], trials: 5, seed: 1);

        Assert.Equal(5, result.Trials.Count);
        Assert.All(result.Trials, t => Assert.InRange(t.LearningRate, 1e-3, 1e-1));
        Assert.Equal(5, result.Trials.Select(t => t.LearningRate).Distinct().Count());
    }

    [Fact]
    public void Range_test_sweeps_rates_upward_stops_on_divergence_and_restores_the_parameters()
    {
        var (_, network, training) = Setup();
        network.Initialize(3);
        var before = network.Parameters.ToArray();

        var result = LearningRateRangeTest.Run(
            network, new Sgd<double>(network.ParameterCount, new SgdOptions()), new TrainerOptions { BatchSize = 32 }, training, 1e-5, 1e5, steps: 200);

        Assert.True(result.Diverged);
        Assert.InRange(result.Points.Count, 10, 199);
        Assert.Equal(result.Points.Select(p => p.LearningRate).Order(), result.Points.Select(p => p.LearningRate));
        var lowest = result.Points.MinBy(p => p.SmoothedLoss);
        Assert.Equal(lowest.LearningRate / 10, result.SuggestedLearningRate);
        Assert.InRange(result.SuggestedLearningRate, 1e-3, 1);
        Assert.Equal(before, network.Parameters.ToArray());
    }

    private static (HyperparameterSearch<double> Search, LinearNetwork<double> Network, SimdDescent.Training.Data.DataSet<double> Training) Setup()
    {
        var (training, validation) = SyntheticData.LinearRegression(300, [1, -2], 0.5, 0.1, seed: 17).Split(200);
        var network = new LinearNetwork<double>(2, 1, 64, TargetKind.Values);
        var search = new HyperparameterSearch<double>(
            network,
            lr => new Sgd<double>(network.ParameterCount, new SgdOptions { LearningRate = lr, Momentum = 0.9 }),
            new TrainerOptions { Seed = 2 },
            training,
            validation,
            epochsPerTrial: 3,
            initializationSeed: 7);
        return (search, network, training);
    }
}
