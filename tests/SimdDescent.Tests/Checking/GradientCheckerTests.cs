using SimdDescent.Checking;
using SimdDescent.Networks;
using SimdDescent.Tests.Networks;
using SimdDescent.Tests.Training.Support;

namespace SimdDescent.Tests.Checking;

/// <summary>The checker on networks generated in this project (the generator's own tests cover random declarations and mutations).</summary>
public class GradientCheckerTests
{
    [Fact]
    public void A_float_network_with_every_layer_passes_with_the_float_defaults_and_is_left_unchanged()
    {
        var network = new EveryLayerNetwork();
        var random = new Random(9);
        var inputs = Enumerable.Range(0, 4 * 12).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        int[] labels = [0, 3, 4, 1];
        var before = network.Parameters.ToArray();

        var options = GradientCheckOptions.For<float>() with { MaxElementsPerTensor = 256 };
        var report = GradientChecker.Check(network, inputs, labels, 4, options);

        Assert.True(report.Passed, report.ToString());
        Assert.Equal(options, report.Options);
        Assert.Equal(network.Tensors.Count + 1, report.Tensors.Count);
        Assert.Contains(report.Tensors, t => t.Mode == CheckMode.RandomDirections); // layer0.weight is 12 × 32
        Assert.Equal(before, network.Parameters.ToArray());
    }

    [Fact]
    public void A_relu_input_within_epsilon_of_the_kink_is_inconclusive_not_failed()
    {
        // One row of zeros, so z = b: layer0.bias[0] = 3e-4 sits 0.3 ε from ReLU's kink. The central difference
        // then averages the slope on both sides (0.65 of backward's value), far outside the float tolerances.
        var network = new KinkNetwork();
        Set(network, "layer0.weight", [0, 0, 0, 0]);
        Set(network, "layer0.bias", [3e-4f, 0.5f]);
        Set(network, "layer1.weight", [2, -1, 1, 1]);
        Set(network, "layer1.bias", [0, 0]);

        var report = GradientChecker.Check<float>(network, new float[2], [0], 1);

        Assert.True(report.Passed, report.ToString());
        Assert.Equal(1, report.Inconclusive);
        var bias = report.Tensors.Single(t => t.Name == "layer0.bias");
        Assert.Equal(1, bias.Inconclusive);
        Assert.True(bias.MaxAbsoluteError < 1e-3, report.ToString());
        Assert.Contains("1 comparison(s) inconclusive", report.ToString(), StringComparison.Ordinal);
        Assert.Contains("inconclusive 1", report.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_wrong_gradient_on_a_smooth_loss_still_fails_in_float()
    {
        var network = new LinearNetwork<float>(3, 2, 4, TargetKind.ClassLabels) { BiasGradientError = 0.05 };
        network.Initialize(3);
        float[] inputs = [0.5f, -1, 2, 1, 0.25f, -0.5f];

        var report = GradientChecker.Check<float>(network, inputs, [1, 0], 2);

        Assert.False(report.Passed);
        Assert.Equal(0, report.Inconclusive);
        Assert.False(report.Tensors.Single(t => t.Name == "linear.bias").Passed, report.ToString());
        Assert.True(report.Tensors.Single(t => t.Name == "linear.weight").Passed, report.ToString());
    }

    [Fact]
    public void The_defaults_state_tighter_tolerances_for_double()
    {
        var single = GradientCheckOptions.For<float>();
        var dbl = GradientCheckOptions.For<double>();
        Assert.True(dbl.Epsilon < single.Epsilon);
        Assert.True(dbl.RelativeTolerance < single.RelativeTolerance);
        Assert.True(dbl.AbsoluteTolerance < single.AbsoluteTolerance);
    }

    [Fact]
    public void Invalid_options_are_rejected()
    {
        var network = new LinearRegression();
        var options = GradientCheckOptions.For<double>() with { Epsilon = 0 };
        Assert.Throws<ArgumentException>(() => GradientChecker.Check<double>(network, new double[10], new double[1], 1, options));
        Assert.Throws<ArgumentException>(() => GradientChecker.Check<double>(network, new double[10], new double[1], 1, options with { Epsilon = 1e-6, RandomDirections = 0 }));
    }

    private static void Set(INetwork<float> network, string tensor, float[] values)
    {
        var info = network.Tensors.Single(t => t.Name == tensor);
        values.CopyTo(network.Parameters.Slice(info.Offset, info.Length));
    }
}

/// <summary>2 → 2 ReLU → 2 in float: small enough to place a ReLU input next to its kink by hand.</summary>
[Network(Inputs = 2, MaxBatch = 1)]
[Dense(2, Activation.Relu)]
[Dense(2)]
[SoftmaxCrossEntropy]
public partial class KinkNetwork;
