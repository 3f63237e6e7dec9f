using SimdDescent.Tests.Support;
using SimdDescent.Training.Optimizers;

namespace SimdDescent.Tests.Networks;

/// <summary>A generated convolutional network trains without allocating and repeats bitwise from a seed.</summary>
[Collection(nameof(AllocationMeasurementCollection))]
public class ConvolutionalTrainingTests
{
    private const int Batch = 16;

    [Fact]
    public void Training_steps_and_predictions_allocate_zero_bytes()
    {
        var network = new SmallCnn();
        var sgd = new Sgd<float>(network.ParameterCount, new SgdOptions { LearningRate = 0.05, Momentum = 0.9 });
        var (inputs, labels) = Data();
        var outputs = new float[Batch * 5];
        for (var i = 0; i < 30; i++)
        {
            Step(network, sgd, inputs, labels, outputs);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10; i++)
        {
            Step(network, sgd, inputs, labels, outputs);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void The_same_seed_gives_bitwise_the_same_weights_and_statistics()
    {
        float[] Train()
        {
            var network = new SmallCnn();
            var sgd = new Sgd<float>(network.ParameterCount, new SgdOptions { LearningRate = 0.05, Momentum = 0.9 });
            var (inputs, labels) = Data();
            var outputs = new float[Batch * 5];
            for (var i = 0; i < 5; i++)
            {
                Step(network, sgd, inputs, labels, outputs);
            }

            return [.. network.Parameters, .. network.Statistics];
        }

        var first = Train();
        var second = Train();
        Assert.Equal(first.Select(BitConverter.SingleToInt32Bits), second.Select(BitConverter.SingleToInt32Bits));
        Assert.NotEqual(new SmallCnn().Parameters.ToArray(), first.AsSpan(0, new SmallCnn().ParameterCount).ToArray());
    }

    private static void Step(SmallCnn network, Sgd<float> sgd, float[] inputs, int[] labels, float[] outputs)
    {
        network.Forward(inputs, labels, Batch);
        network.Backward();
        sgd.Step(network.Parameters, network.Gradients);
        network.Predict(inputs, outputs, 1);
    }

    private static (float[] Inputs, int[] Labels) Data()
    {
        var random = new Random(5);
        var inputs = Enumerable.Range(0, Batch * 3 * 11 * 10).Select(_ => (float)random.NextDouble()).ToArray();
        return (inputs, Enumerable.Range(0, Batch).Select(i => i % 5).ToArray());
    }
}
