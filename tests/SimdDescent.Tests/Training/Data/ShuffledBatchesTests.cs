using SimdDescent.Randomness;
using SimdDescent.Training.Data;

namespace SimdDescent.Tests.Training.Data;

public sealed class ShuffledBatchesTests
{
    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(2, 3, 2)]
    [InlineData(9, 7, 4)]
    [InlineData(300, 784, 64)]
    [InlineData(1000, 13, 1000)]
    public void Batches_follow_the_index_permutation_of_the_seed_and_hold_every_row_once_per_epoch(int rows, int width, int batchSize)
    {
        // Each input element encodes its row and column, so a row that arrives whole is recognizable.
        var inputs = Enumerable.Range(0, rows * width).Select(i => ((i / width) * 1000f) + (i % width)).ToArray();
        var labels = Enumerable.Range(0, rows).ToArray();
        var targets = Enumerable.Range(0, rows * 2).Select(i => (float)i).ToArray();
        var withLabels = new ShuffledBatches<float>(DataSet<float>.WithLabels((float[])inputs.Clone(), labels, width), batchSize);
        var withTargets = new ShuffledBatches<float>(DataSet<float>.WithTargets((float[])inputs.Clone(), targets, width, 2), batchSize);
        var labelRandom = new SplitMix64(17);
        var targetRandom = new SplitMix64(17);

        // The reference: the same generator's Fisher–Yates over row indices, applied once per epoch to the previous order.
        var order = Enumerable.Range(0, rows).ToArray();
        var reference = new SplitMix64(17);
        for (var epoch = 0; epoch < 3; epoch++)
        {
            withLabels.Shuffle(ref labelRandom);
            withTargets.Shuffle(ref targetRandom);
            reference.Shuffle(order.AsSpan());

            var visits = new int[rows];
            for (var first = 0; first < rows; first += batchSize)
            {
                var count = Math.Min(batchSize, rows - first);
                var labelBatch = withLabels.Gather(first, count);
                var targetBatch = withTargets.Gather(first, count);
                for (var r = 0; r < count; r++)
                {
                    var source = order[first + r];
                    visits[source]++;
                    Assert.Equal(source, labelBatch.LabelRows(r, 1)[0]);
                    Assert.Equal([source * 2f, (source * 2f) + 1], targetBatch.TargetRows(r, 1).ToArray());
                    var expected = Enumerable.Range(0, width).Select(c => (source * 1000f) + c).ToArray();
                    Assert.Equal(expected, labelBatch.InputRows(r, 1).ToArray());
                    Assert.Equal(expected, targetBatch.InputRows(r, 1).ToArray());
                }
            }

            Assert.All(visits, count => Assert.Equal(1, count));
        }

        Assert.Equal(Enumerable.Range(0, rows).ToArray(), labels);
    }

    [Fact]
    public void Another_seed_gives_another_order()
    {
        var data = DataSet<float>.WithLabels(new float[100], new int[100], 1);
        var first = new ShuffledBatches<float>(data, 10);
        var second = new ShuffledBatches<float>(data, 10);
        var random = new SplitMix64(1);
        first.Shuffle(ref random);
        random = new SplitMix64(2);
        second.Shuffle(ref random);

        Assert.NotEqual(first.Order.ToArray(), second.Order.ToArray());
        Assert.Equal(Enumerable.Range(0, 100), first.Order.ToArray().Order());
    }
}
