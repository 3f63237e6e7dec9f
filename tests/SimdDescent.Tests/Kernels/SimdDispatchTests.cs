using SimdDescent.Kernels;

namespace SimdDescent.Tests.Kernels;

public sealed class SimdDispatchTests
{
    [Theory]
    [InlineData(VectorPath.Scalar)]
    [InlineData(VectorPath.Vector128)]
    [InlineData(VectorPath.Vector256)]
    [InlineData(VectorPath.Vector512)]
    public void Force_sets_the_current_path_and_restores_the_previous_one(VectorPath path)
    {
        var before = SimdDispatch.Current;
        using (SimdDispatch.Force(path))
        {
            Assert.Equal(path, SimdDispatch.Current);
        }

        Assert.Equal(before, SimdDispatch.Current);
    }

    [Fact]
    public void Force_rejects_an_undefined_width() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => SimdDispatch.Force((VectorPath)64));

    [Theory]
    [InlineData("512", VectorPath.Vector512)]
    [InlineData(" 256 ", VectorPath.Vector256)]
    [InlineData("Vector128", VectorPath.Vector128)]
    [InlineData("scalar", VectorPath.Scalar)]
    public void TryParse_accepts_the_documented_names(string text, VectorPath expected)
    {
        Assert.True(SimdDispatch.TryParse(text, out var path));
        Assert.Equal(expected, path);
    }

    [Theory]
    [InlineData("")]
    [InlineData("1024")]
    [InlineData(null)]
    public void TryParse_rejects_other_text(string? text) => Assert.False(SimdDispatch.TryParse(text, out _));
}
