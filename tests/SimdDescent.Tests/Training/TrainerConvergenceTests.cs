using SimdDescent.Networks;
using SimdDescent.Tests.Training.Support;
using SimdDescent.Training;
using SimdDescent.Training.Optimizers;

namespace SimdDescent.Tests.Training;

public sealed class TrainerConvergenceTests
{
    [Fact]
    public void Linear_regression_reaches_the_normal_equations_solution()
    {
        var data = SyntheticData.LinearRegression(200, [1.5, -2.0, 0.5], bias: 0.3, noise: 0.2, seed: 7);
        var expected = SyntheticData.NormalEquations(data);
        var network = new LinearNetwork<double>(3, 1, 50, TargetKind.Values);
        network.Initialize(1);
        var optimizer = new Sgd<double>(network.ParameterCount, new SgdOptions { LearningRate = 0.1, Momentum = 0.9 });
        using var trainer = new Trainer<double>(network, optimizer, new TrainerOptions { Epochs = 400, BatchSize = 200, Shards = 4, Shuffle = false });

        trainer.Fit(data);

        Assert.Equal(expected, network.Parameters.ToArray(), (e, a) => Math.Abs(e - a) < 1e-7);
    }

    [Fact]
    public void Logistic_regression_separates_separable_data()
    {
        var all = SyntheticData.Separable<float>(400, margin: 0.05, seed: 3);
        var (training, validation) = all.Split(300);
        var network = new LinearNetwork<float>(2, 2, 32, TargetKind.ClassLabels);
        network.Initialize(5);
        var optimizer = new Adam<float>(network.ParameterCount, new AdamOptions { LearningRate = 0.05 });
        using var trainer = new Trainer<float>(network, optimizer, new TrainerOptions { Epochs = 60, BatchSize = 32, Seed = 11 });

        var result = trainer.Fit(training, validation);

        Assert.Equal(1.0, trainer.Evaluate(training).Accuracy);
        Assert.Equal(1.0, result.History[^1].ValidationAccuracy);
        Assert.True(result.History[^1].TrainingLoss < result.History[0].TrainingLoss / 5, $"loss {result.History[0].TrainingLoss} → {result.History[^1].TrainingLoss}");
    }
}
