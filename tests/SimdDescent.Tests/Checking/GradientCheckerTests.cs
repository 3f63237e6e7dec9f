using SimdDescent.Checking;
using SimdDescent.Tests.Networks;

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
}
