using SimdDescent.Networks;
using SimdDescent.Tests.Training.Support;
using SimdDescent.Training;
using SimdDescent.Training.Data;
using SimdDescent.Training.Optimizers;

namespace SimdDescent.Tests.Training.Parallel;

/// <summary>
/// The sharded path reduces, measures and updates the arena in chunks spread over the workers. With a
/// network of 1,334 parameters in two groups the chunks cut both segments at uneven places, so these
/// tests see every chunk boundary case that the tiny networks of the other trainer tests cannot.
/// </summary>
public sealed class ShardedUpdateTests
{
    private const int Inputs = 45;
    private const int Classes = 29;
    private const int Batch = 96;

    public static TheoryData<string, bool> Cases => new()
    {
        { "sgd", false }, { "sgd", true }, { "adam", false }, { "adam", true }, { "rmsprop", false }, { "rmsprop", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Any_thread_count_gives_bitwise_identical_weights_and_the_whole_batch_result(string optimizer, bool clipValue)
    {
        var data = RandomData(7);
        var one = Train(data, optimizer, clipValue, shards: 3, threads: 1);
        var two = Train(data, optimizer, clipValue, shards: 3, threads: 2);
        var three = Train(data, optimizer, clipValue, shards: 3, threads: 3);
        var whole = Train(data, optimizer, clipValue, shards: 1, threads: 1);

        Assert.Equal(one.Weights, two.Weights);
        Assert.Equal(one.Weights, three.Weights);
        Assert.Equal(one.Norms, two.Norms);
        Assert.Equal(one.Norms, three.Norms);

        // One shard sums in another order: the same training within rounding, every element updated.
        Assert.Equal(whole.Weights, one.Weights, (a, b) => Math.Abs(a - b) <= 1e-9);
        Assert.Equal(whole.Norms, one.Norms, (a, b) => Math.Abs(a - b) <= 1e-9 * a);
        Assert.NotEqual(whole.Initial, whole.Weights);
    }

    [Fact]
    public void A_frozen_group_stays_exactly_as_it_was_on_every_thread_count()
    {
        var data = RandomData(8);
        foreach (var threads in new[] { 1, 2 })
        {
            var network = new LinearNetwork<double>(Inputs, Classes, Batch / 3, TargetKind.ClassLabels);
            network.Initialize(4);
            var before = network.Parameters.ToArray();
            var layout = ParameterLayout.For(network, new ParameterGroup("linear.bias") { IsFrozen = true });
            using var trainer = new Trainer<double>(network, new Sgd<double>(layout, new SgdOptions { LearningRate = 0.5, Momentum = 0.9 }), new TrainerOptions { BatchSize = Batch, Shards = 3, Threads = threads });
            for (var step = 0; step < 4; step++)
            {
                trainer.TrainBatch(data, 0, Batch);
            }

            var after = network.Parameters.ToArray();
            Assert.Equal(before[(Inputs * Classes)..], after[(Inputs * Classes)..]);
            Assert.All(Enumerable.Range(0, Inputs * Classes), i => Assert.NotEqual(before[i], after[i]));
        }
    }

    private static (double[] Initial, double[] Weights, double[] Norms) Train(DataSet<double> data, string optimizer, bool clipValue, int shards, int threads)
    {
        var network = new LinearNetwork<double>(Inputs, Classes, Batch / shards, TargetKind.ClassLabels);
        network.Initialize(3);
        var initial = network.Parameters.ToArray();
        var layout = ParameterLayout.For(network, new ParameterGroup("linear.bias") { LearningRate = 0.003, WeightDecay = 0.01 });
        Optimizer<double> update = optimizer switch
        {
            "sgd" => new Sgd<double>(layout, new SgdOptions { LearningRate = 0.2, Momentum = 0.9, Nesterov = true, WeightDecay = 1e-3 }),
            "adam" => new Adam<double>(layout, new AdamOptions { LearningRate = 0.01, AmsGrad = true }),
            _ => new RmsProp<double>(layout, new RmsPropOptions { LearningRate = 0.01, Momentum = 0.5, Centered = true }),
        };
        var options = new TrainerOptions { BatchSize = Batch, Shards = shards, Threads = threads, MaxGradientNorm = 0.3, GradientClipValue = clipValue ? 0.02 : 0 };
        using var trainer = new Trainer<double>(network, update, options);
        var norms = new double[5];
        for (var step = 0; step < norms.Length; step++)
        {
            trainer.TrainBatch(data, 0, Batch);
            norms[step] = trainer.LastGradientNorm;
        }

        return (initial, network.Parameters.ToArray(), norms);
    }

    private static DataSet<double> RandomData(int seed)
    {
        var random = new Random(seed);
        var inputs = Enumerable.Range(0, Batch * Inputs).Select(_ => (random.NextDouble() * 2) - 1).ToArray();
        var labels = Enumerable.Range(0, Batch).Select(_ => random.Next(Classes)).ToArray();
        return DataSet<double>.WithLabels(inputs, labels, Inputs);
    }
}
