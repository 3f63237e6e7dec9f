using SimdDescent.Randomness;
using SimdDescent.Training.Data;

namespace SimdDescent.Tests.Training.Data;

public sealed class DataSetShuffleTests
{
    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 3)]
    [InlineData(9, 7)]
    [InlineData(300, 784)]
    [InlineData(1000, 13)]
    public void Rows_move_whole_and_follow_the_index_permutation_of_the_same_seed(int rows, int width)
    {
        // Each input element encodes its row and column, so a row that moved whole is recognizable.
        var inputs = new float[rows * width];
        for (var i = 0; i < inputs.Length; i++)
        {
            inputs[i] = ((i / width) * 1000f) + (i % width);
        }

        var labels = Enumerable.Range(0, rows).ToArray();
        var targets = Enumerable.Range(0, rows * 2).Select(i => (float)i).ToArray();
        var withLabels = DataSet<float>.WithLabels((float[])inputs.Clone(), labels, width);
        var withTargets = DataSet<float>.WithTargets((float[])inputs.Clone(), targets, width, 2);

        var random = new SplitMix64(17);
        withLabels.Shuffle(ref random);
        random = new SplitMix64(17);
        withTargets.Shuffle(ref random);

        // The reference: the same generator's Fisher–Yates over row indices.
        var order = Enumerable.Range(0, rows).ToArray();
        new SplitMix64(17).Shuffle(order.AsSpan());
        for (var r = 0; r < rows; r++)
        {
            var source = order[r];
            Assert.Equal(source, withLabels.LabelRows(r, 1)[0]);
            Assert.Equal([source * 2f, (source * 2f) + 1], withTargets.TargetRows(r, 1).ToArray());
            for (var c = 0; c < width; c++)
            {
                var expected = (source * 1000f) + c;
                Assert.Equal(expected, withLabels.InputRows(r, 1)[c]);
                Assert.Equal(expected, withTargets.InputRows(r, 1)[c]);
            }
        }
    }
}
