using SimdDescent.Checking;
using SimdDescent.Networks;
using SimdDescent.Tests.Training.Support;
using SimdDescent.Training;
using SimdDescent.Training.Optimizers;

namespace SimdDescent.Tests.Training;

/// <summary>A small generated classifier for the trainer's end-to-end tests.</summary>
[Network(Inputs = 2, MaxBatch = 16)]
[Dense(16, Activation.Tanh)]
[Dense(2)]
[SoftmaxCrossEntropy]
public partial class TwoMoonsClassifier;

public sealed class GeneratedNetworkTrainingTests
{
    [Fact]
    public void Trains_a_generated_network_with_the_gradient_check_and_data_parallel_shards()
    {
        var (training, validation) = SyntheticData.Separable<float>(400, 0.05, 31).Split(300);
        var network = new TwoMoonsClassifier();
        var options = new TrainerOptions { Epochs = 30, BatchSize = 64, Shards = 4, Threads = 2, Seed = 5, GradientCheckInterval = 100 };
        using var trainer = new Trainer<float>(network, new AdamW<float>(ParameterLayout.For(network), new AdamWOptions { LearningRate = 0.02 }), options, new NumericalGradientCheck<float>());

        var result = trainer.Fit(training, validation);

        Assert.True(result.History[^1].ValidationAccuracy >= 0.97, $"validation accuracy {result.History[^1].ValidationAccuracy}");
    }

    [Fact]
    public void Thread_count_does_not_change_a_generated_networks_weights()
    {
        float[] Train(int threads)
        {
            var data = SyntheticData.Separable<float>(200, 0.05, 8);
            var network = new TwoMoonsClassifier();
            var options = new TrainerOptions { Epochs = 3, BatchSize = 64, Shards = 4, Threads = threads, Seed = 1 };
            using var trainer = new Trainer<float>(network, new Sgd<float>(network.ParameterCount, new SgdOptions { LearningRate = 0.1, Momentum = 0.9 }), options);
            trainer.Fit(data);
            return network.Parameters.ToArray();
        }

        Assert.Equal(Train(1), Train(2));
    }
}
