using SimdDescent.IO.Datasets;

namespace SimdDescent.Tests.IO.Datasets;

public sealed class DatasetTests
{
    /// <summary>Sample i has features (i, −i) and label i, so every row says where it came from.</summary>
    private static Dataset<float, int> Numbered(int count) =>
        new([.. Enumerable.Range(0, count).SelectMany(i => new[] { (float)i, -i })], [.. Enumerable.Range(0, count)], 2);

    [Fact]
    public void The_constructor_derives_the_count_and_checks_the_shapes()
    {
        var data = Numbered(5);

        Assert.Equal(5, data.Count);
        Assert.Equal([3f, -3f], data.FeaturesOf(3).ToArray());
        Assert.Equal([3], data.TargetsOf(3).ToArray());
        Assert.Throws<ArgumentException>(() => new Dataset<float, int>(new float[5], new int[2], 2));
        Assert.Throws<ArgumentException>(() => new Dataset<float, int>(new float[4], new int[3], 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Dataset<float, int>(new float[4], new int[2], 0));
    }

    [Fact]
    public void Select_copies_the_chosen_rows_in_order()
    {
        var picked = Numbered(5).Select([4, 0, 4]);

        Assert.Equal([4f, -4, 0, 0, 4, -4], picked.Features);
        Assert.Equal([4, 0, 4], picked.Targets);
        Assert.Throws<ArgumentOutOfRangeException>(() => Numbered(5).Select([5]));
    }

    [Theory]
    [InlineData(100, 0.2, 20)]
    [InlineData(30, 0.1, 3)]
    [InlineData(10, 0.25, 3)]
    [InlineData(10, 0, 0)]
    [InlineData(10, 1, 10)]
    public void Split_holds_out_the_ceiling_of_the_fraction_and_partitions_the_samples(int count, double fraction, int expectedTest)
    {
        var (train, test) = Numbered(count).Split(fraction, seed: 3);

        Assert.Equal(expectedTest, test.Count);
        Assert.Equal(count - expectedTest, train.Count);
        Assert.Equal(Enumerable.Range(0, count), train.Targets.Concat(test.Targets).Order());
        for (var i = 0; i < test.Count; i++)
        {
            Assert.Equal([test.Targets[i], -test.Targets[i]], test.FeaturesOf(i).ToArray());
        }
    }

    [Fact]
    public void Split_is_reproducible_for_a_seed_and_differs_between_seeds()
    {
        var data = Numbered(50);

        Assert.Equal(data.Split(0.3, 7).Test.Targets, data.Split(0.3, 7).Test.Targets);
        Assert.NotEqual(data.Split(0.3, 7).Test.Targets, data.Split(0.3, 8).Test.Targets);
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(1.1)]
    [InlineData(double.NaN)]
    public void Split_rejects_a_fraction_outside_zero_to_one(double fraction) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Numbered(3).Split(fraction, 0));
}
