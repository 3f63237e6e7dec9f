using SimdDescent.Networks;
using SimdDescent.Randomness;
using SimdDescent.Tests.Training.Support;
using SimdDescent.Training;
using SimdDescent.Training.Data;
using SimdDescent.Training.Optimizers;
using SimdDescent.Training.Search;

namespace SimdDescent.Tests.Training;

public sealed class TrainerShuffleTests
{
    private const int Rows = 300;
    private const int BatchSize = 64;

    [Fact]
    public void Fit_leaves_the_training_set_as_it_was()
    {
        var data = SyntheticData.Separable<float>(Rows, 0.05, 21);
        var inputs = data.Inputs.ToArray();
        var labels = data.Labels.ToArray();
        var (network, trainer) = Classifier(seed: 5);
        using (trainer)
        {
            trainer.Fit(data);
        }

        Assert.Equal(inputs, data.Inputs.ToArray());
        Assert.Equal(labels, data.Labels.ToArray());
        Assert.All(network.Parameters.ToArray(), p => Assert.True(float.IsFinite(p)));
    }

    [Fact]
    public void Each_epoch_trains_on_the_batches_of_the_seeds_next_index_permutation()
    {
        var data = SyntheticData.Separable<float>(Rows, 0.05, 21);
        var (fitted, fitTrainer) = Classifier(seed: 5);
        using (fitTrainer)
        {
            fitTrainer.Fit(data);
        }

        // Reference: the same steps on copies of the rows in the order Fisher–Yates over indices gives,
        // each epoch permuting the previous epoch's order, from SplitMix64(seed).
        var (stepped, stepTrainer) = Classifier(seed: 5);
        using (stepTrainer)
        {
            var order = Enumerable.Range(0, Rows).ToArray();
            var random = new SplitMix64(5);
            for (var epoch = 0; epoch < 3; epoch++)
            {
                random.Shuffle(order.AsSpan());
                for (var first = 0; first < Rows; first += BatchSize)
                {
                    var rows = Math.Min(BatchSize, Rows - first);
                    stepTrainer.TrainBatch(data.Select(order.AsSpan(first, rows)), 0, rows);
                }
            }
        }

        Assert.Equal(fitted.Parameters.ToArray(), stepped.Parameters.ToArray());
    }

    [Fact]
    public void The_learning_rate_range_test_leaves_the_training_set_as_it_was()
    {
        var data = SyntheticData.Separable<float>(Rows, 0.05, 21);
        var inputs = data.Inputs.ToArray();
        var labels = data.Labels.ToArray();
        var network = new LinearNetwork<float>(2, 2, BatchSize, TargetKind.ClassLabels);
        network.Initialize(6);

        var result = LearningRateRangeTest.Run(
            network, new Sgd<float>(network.ParameterCount, new SgdOptions()), new TrainerOptions { BatchSize = BatchSize, Seed = 3 }, data, 1e-4, 1, steps: 20);

        Assert.NotEmpty(result.Points);
        Assert.Equal(inputs, data.Inputs.ToArray());
        Assert.Equal(labels, data.Labels.ToArray());
    }

    private static (LinearNetwork<float> Network, Trainer<float> Trainer) Classifier(int seed)
    {
        var network = new LinearNetwork<float>(2, 2, BatchSize, TargetKind.ClassLabels);
        network.Initialize(6);
        var options = new TrainerOptions { Epochs = 3, BatchSize = BatchSize, Seed = seed };
        return (network, new Trainer<float>(network, new Sgd<float>(network.ParameterCount, new SgdOptions { LearningRate = 0.1, Momentum = 0.9 }), options));
    }
}
