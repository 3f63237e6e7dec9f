using SimdDescent.Training.Clipping;

namespace SimdDescent.Tests.Training;

public sealed class ClippingTests
{
    [Fact]
    public void Global_norm_clipping_reports_the_norm_and_scales_to_the_maximum()
    {
        var random = new Random(5);
        var gradients = Enumerable.Range(0, 101).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var original = gradients.Select(g => (double)g).ToArray();
        var norm = Math.Sqrt(original.Sum(g => g * g));

        var reported = GradientClipping.ClipByGlobalNorm<float>(gradients, 1.5);

        Assert.Equal(norm, reported, 1e-5);
        var scale = 1.5 / (norm + 1e-6);
        for (var i = 0; i < gradients.Length; i++)
        {
            Assert.Equal(original[i] * scale, gradients[i], 1e-6);
        }
    }

    [Fact]
    public void Global_norm_clipping_leaves_small_gradients_alone()
    {
        double[] gradients = [0.3, -0.4];

        var norm = GradientClipping.ClipByGlobalNorm<double>(gradients, 1);

        Assert.Equal(0.5, norm, 15);
        Assert.Equal([0.3, -0.4], gradients);
    }

    [Fact]
    public void Value_clipping_limits_each_element()
    {
        double[] gradients = [-3, -0.5, 0, 0.7, 9];

        GradientClipping.ClipByValue<double>(gradients, 0.6);

        Assert.Equal([-0.6, -0.5, 0, 0.6, 0.6], gradients);
        Assert.Throws<ArgumentOutOfRangeException>(() => GradientClipping.ClipByValue<double>(gradients, 0));
    }

    [Fact]
    public void A_nan_gradient_gives_a_nan_norm_and_is_not_scaled()
    {
        double[] gradients = [1e3, double.NaN];

        Assert.True(double.IsNaN(GradientClipping.ClipByGlobalNorm<double>(gradients, 1)));
        Assert.Equal(1e3, gradients[0]);
    }
}
