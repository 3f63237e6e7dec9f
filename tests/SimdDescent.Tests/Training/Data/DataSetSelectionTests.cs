using SimdDescent.Training.Data;

namespace SimdDescent.Tests.Training.Data;

public sealed class DataSetSelectionTests
{
    /// <summary>Row i has inputs (i, −i) and label i, so every row says where it came from.</summary>
    private static DataSet<float> Numbered(int count) =>
        DataSet<float>.WithLabels([.. Enumerable.Range(0, count).SelectMany(i => new[] { (float)i, -i })], [.. Enumerable.Range(0, count)], 2);

    [Fact]
    public void Select_copies_the_chosen_rows_in_order()
    {
        var picked = Numbered(5).Select([4, 0, 4]);

        Assert.Equal([4f, -4, 0, 0, 4, -4], picked.Inputs.ToArray());
        Assert.Equal([4, 0, 4], picked.Labels.ToArray());
        Assert.Throws<ArgumentOutOfRangeException>(() => Numbered(5).Select([5]));
        Assert.Throws<ArgumentException>(() => Numbered(5).Select([]));
    }

    [Fact]
    public void Select_keeps_rows_of_real_targets_with_their_inputs()
    {
        var data = DataSet<double>.WithTargets([1, 2, 3, 4, 5, 6], [10, 11, 20, 21, 30, 31], 2, 2);

        var picked = data.Select([2, 0]);

        Assert.Equal([5.0, 6, 1, 2], picked.Inputs.ToArray());
        Assert.Equal([30.0, 31, 10, 11], picked.Targets.ToArray());
        Assert.Equal(2, picked.TargetWidth);
    }

    [Theory]
    [InlineData(100, 0.2, 20)]
    [InlineData(30, 0.1, 3)]
    [InlineData(10, 0.25, 3)]
    [InlineData(10, 0.9, 9)]
    public void TrainTestSplit_holds_out_the_ceiling_of_the_fraction_and_partitions_the_rows(int count, double fraction, int expectedTest)
    {
        var (train, test) = Numbered(count).TrainTestSplit(fraction, seed: 3);

        Assert.Equal(expectedTest, test.Count);
        Assert.Equal(count - expectedTest, train.Count);
        Assert.Equal(Enumerable.Range(0, count), train.Labels.ToArray().Concat(test.Labels.ToArray()).Order());
        for (var i = 0; i < test.Count; i++)
        {
            Assert.Equal([test.Labels[i], -test.Labels[i]], test.InputRows(i, 1).ToArray());
        }
    }

    [Fact]
    public void TrainTestSplit_holds_out_the_first_shuffled_indices_of_the_seed()
    {
        var order = Enumerable.Range(0, 50).ToArray();
        new SimdDescent.Randomness.SplitMix64(7).Shuffle(order.AsSpan());

        var (train, test) = Numbered(50).TrainTestSplit(0.3, 7);

        Assert.Equal(order[..15], test.Labels.ToArray());
        Assert.Equal(order[15..], train.Labels.ToArray());
        Assert.NotEqual(test.Labels.ToArray(), Numbered(50).TrainTestSplit(0.3, 8).Test.Labels.ToArray());
    }

    [Theory]
    [InlineData(-0.1)]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(1.1)]
    [InlineData(0.999)]
    [InlineData(double.NaN)]
    public void TrainTestSplit_rejects_a_fraction_that_leaves_a_set_empty(double fraction) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Numbered(3).TrainTestSplit(fraction, 0));
}
