using SimdDescent.IO.Preprocessing;
using SimdDescent.Kernels;

namespace SimdDescent.Tests.IO.Preprocessing;

public sealed class FeatureScalingTests
{
    [Theory]
    [InlineData(VectorPath.Scalar)]
    [InlineData(VectorPath.Vector128)]
    [InlineData(VectorPath.Vector256)]
    [InlineData(VectorPath.Vector512)]
    public void Every_byte_value_maps_to_its_correctly_rounded_quotient_and_255_to_exactly_one(VectorPath path)
    {
        var values = Enumerable.Range(0, 256).Select(b => (float)b).ToArray();

        using (SimdDispatch.Force(path))
        {
            FeatureScaling.ToUnitInterval(values.AsSpan(), 255f);
        }

        for (var b = 0; b < 256; b++)
        {
            // The quotient rounded once from double is the correctly rounded float quotient.
            Assert.Equal((float)(b / 255.0), values[b]);
        }

        Assert.Equal(1f, values[255]);
    }

    [Fact]
    public void Doubles_are_scaled_too()
    {
        double[] values = [0, 4, 16];

        FeatureScaling.ToUnitInterval(values.AsSpan(), 16.0);

        Assert.Equal([0, 0.25, 1], values);
    }

    [Theory]
    [InlineData(0f)]
    [InlineData(-1f)]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    public void A_maximum_that_is_not_positive_and_finite_is_rejected(float maximum) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => FeatureScaling.ToUnitInterval(new float[3].AsSpan(), maximum));
}
