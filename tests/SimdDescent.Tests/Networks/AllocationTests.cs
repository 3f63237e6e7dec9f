using SimdDescent.Tests.Support;
using SimdDescent.Training.Optimizers;

namespace SimdDescent.Tests.Networks;

/// <summary>After construction, Forward, Backward and Predict allocate nothing.</summary>
[Collection(nameof(AllocationMeasurementCollection))]
public class AllocationTests
{
    [Fact]
    public void Forward_backward_and_predict_allocate_zero_bytes()
    {
        var network = new EveryLayerNetwork();
        var random = new Random(3);
        var inputs = new float[16 * 12];
        for (var i = 0; i < inputs.Length; i++)
        {
            inputs[i] = (float)((random.NextDouble() * 2) - 1);
        }

        var labels = new int[16];
        for (var i = 0; i < labels.Length; i++)
        {
            labels[i] = i % 5;
        }

        var outputs = new float[16 * 5];

        // Warm up until tiered JIT has settled, so compilation is not counted.
        for (var i = 0; i < 50; i++)
        {
            Step(network, inputs, labels, outputs);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 20; i++)
        {
            Step(network, inputs, labels, outputs);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void Regression_network_allocates_zero_bytes()
    {
        var network = new LinearRegression();
        var inputs = new double[442 * 10];
        var targets = new double[442];
        var outputs = new double[442];
        for (var i = 0; i < 50; i++)
        {
            network.Forward(inputs, targets, 442);
            network.Backward();
            network.Predict(inputs, outputs, 442);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        network.Forward(inputs, targets, 442);
        network.Backward();
        network.Predict(inputs, outputs, 442);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void An_adapter_training_step_allocates_zero_bytes() => AssertAdapterStepAllocatesNothing(new AdaptedDoubleNetwork());

    [Fact]
    public void An_adapted_image_network_training_step_allocates_zero_bytes() => AssertAdapterStepAllocatesNothing(new AdaptedImageDoubleNetwork());

    private static void AssertAdapterStepAllocatesNothing<TNetwork>(TNetwork network)
        where TNetwork : SimdDescent.Networks.INetwork<double>, SimdDescent.Networks.IAdaptedModel<double>
    {
        var optimizer = new Adam<double>(ParameterLayout.For(network), new AdamOptions());
        var inputs = new double[16 * network.InputWidth];
        var labels = new int[16];
        var outputs = new double[16 * network.OutputWidth];
        for (var i = 0; i < 50; i++)
        {
            AdapterStep(network, optimizer, inputs, labels, outputs);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 20; i++)
        {
            AdapterStep(network, optimizer, inputs, labels, outputs);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    private static void AdapterStep<TNetwork>(TNetwork network, Adam<double> optimizer, double[] inputs, int[] labels, double[] outputs)
        where TNetwork : SimdDescent.Networks.INetwork<double>, SimdDescent.Networks.IAdaptedModel<double>
    {
        network.Workspace.Forward(inputs, labels, 16);
        network.Workspace.Backward();
        optimizer.Step(network.Parameters, network.Workspace.Gradients);
        network.MergeAdapters();
        network.Workspace.Predict(inputs, outputs, 16);
        network.UnmergeAdapters();
    }

    private static void Step(EveryLayerNetwork network, float[] inputs, int[] labels, float[] outputs)
    {
        network.Forward(inputs, labels, 16);
        network.Backward();
        network.Predict(inputs, outputs, 7);
    }
}
