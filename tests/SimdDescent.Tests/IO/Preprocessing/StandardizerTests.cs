using SimdDescent.IO.Preprocessing;
using SimdDescent.Training.Data;

namespace SimdDescent.Tests.IO.Preprocessing;

public sealed class StandardizerTests
{
    /// <summary>Column mean and population standard deviation by the textbook formulas, in double.</summary>
    private static (double Mean, double Deviation) Reference(double[] matrix, int columns, int column)
    {
        var values = Enumerable.Range(0, matrix.Length / columns).Select(r => matrix[(r * columns) + column]).ToArray();
        var mean = values.Average();
        return (mean, Math.Sqrt(values.Select(v => (v - mean) * (v - mean)).Average()));
    }

    private static double[] RandomMatrix(int rows, int columns, int seed)
    {
        var random = new Random(seed);
        var matrix = new double[rows * columns];
        for (var i = 0; i < matrix.Length; i++)
        {
            // Columns on very different scales and offsets, as raw tabular features are.
            var column = i % columns;
            matrix[i] = (random.NextDouble() * Math.Pow(10, column % 4)) + (column * 50);
        }

        return matrix;
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(37, 5)]
    [InlineData(200, 17)]
    public void Fit_learns_the_mean_and_population_deviation_of_each_column(int rows, int columns)
    {
        var data = RandomMatrix(rows, columns, rows);

        var standardizer = Standardizer<double>.Fit(data, columns);

        Assert.Equal(columns, standardizer.FeatureCount);
        for (var c = 0; c < columns; c++)
        {
            var (mean, deviation) = Reference(data, columns, c);
            Assert.Equal(mean, standardizer.Mean[c], 1e-12);
            Assert.Equal(deviation == 0 ? 1 : deviation, standardizer.Scale[c], 1e-12);
        }
    }

    [Fact]
    public void Transform_applies_the_training_statistics_to_another_split()
    {
        var train = RandomMatrix(50, 3, 1);
        var test = RandomMatrix(20, 3, 2);
        var standardizer = Standardizer<double>.Fit(train, 3);
        var transformed = new double[test.Length];

        standardizer.Transform(test, transformed);

        for (var i = 0; i < test.Length; i++)
        {
            var (mean, deviation) = Reference(train, 3, i % 3);
            Assert.Equal((test[i] - mean) / deviation, transformed[i], 1e-12);
        }
    }

    [Fact]
    public void Transformed_training_columns_have_mean_zero_and_deviation_one_in_float()
    {
        var data = RandomMatrix(500, 6, 3).Select(v => (float)v).ToArray();
        var standardizer = Standardizer<float>.Fit(data, 6);

        standardizer.Transform(data);

        // The float mean of a column like 200 + [0, 1) is off by up to half an ulp of 200 (7.6e-6), which
        // divided by its deviation (0.29) leaves the standardized mean up to ~2.6e-5 from zero.
        var asDouble = data.Select(v => (double)v).ToArray();
        for (var c = 0; c < 6; c++)
        {
            var (mean, deviation) = Reference(asDouble, 6, c);
            Assert.Equal(0, mean, 5e-5);
            Assert.Equal(1, deviation, 1e-5);
        }
    }

    [Fact]
    public void Transform_allocates_nothing()
    {
        var data = RandomMatrix(64, 10, 9).Select(v => (float)v).ToArray();
        var standardizer = Standardizer<float>.Fit(data, 10);
        standardizer.Transform(data);
        var before = GC.GetAllocatedBytesForCurrentThread();

        standardizer.Transform(data);

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void A_constant_column_becomes_exactly_zero_without_NaN()
    {
        // 0.1 summed 3 times in double is not 3 × 0.1; the constant column must still map to 0 exactly.
        double[] data = [0.1, 1, 0.1, 2, 0.1, 4];
        var standardizer = Standardizer<double>.Fit(data, 2);

        standardizer.Transform(data);

        Assert.Equal(1.0, standardizer.Scale[0]);
        Assert.Equal([0.0, 0.0, 0.0], [data[0], data[2], data[4]]);
        Assert.All(data, v => Assert.False(double.IsNaN(v)));
    }

    [Fact]
    public void Fit_rejects_empty_ragged_or_non_finite_input()
    {
        Assert.Throws<ArgumentException>(() => Standardizer<float>.Fit([], 3));
        Assert.Throws<ArgumentException>(() => Standardizer<float>.Fit([1, 2, 3, 4], 3));
        var error = Assert.Throws<ArgumentException>(() => Standardizer<float>.Fit([1, 2, float.NaN, 4], 2));
        Assert.Contains("row 1, column 0", error.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Standardizer<float>.Fit([1], 0));
    }

    [Fact]
    public void Transform_rejects_rows_of_another_width_or_a_destination_of_another_length()
    {
        var standardizer = Standardizer<float>.Fit([1, 2, 3, 4], 2);

        Assert.Throws<ArgumentException>(() => standardizer.Transform(new float[3]));
        Assert.Throws<ArgumentException>(() => standardizer.Transform(new float[4], new float[2]));
    }

    [Fact]
    public void A_data_set_is_copied_with_standardized_inputs_and_its_own_labels_or_targets()
    {
        // Columns (1, 3) and (10, 30): means 2 and 20, population deviations 1 and 10.
        var standardizer = Standardizer<double>.Fit([1, 10, 3, 30], 2);
        var labeled = DataSet<double>.WithLabels([1, 10, 3, 30], [7, 8], 2);
        var regression = DataSet<double>.WithTargets([2, 40, 0, 0], [0.5, 1.5, 2.5, 3.5], 2, 2);

        var standardLabeled = standardizer.Transform(labeled);
        var standardRegression = standardizer.Transform(regression);

        Assert.Equal([-1.0, -1, 1, 1], standardLabeled.Inputs.ToArray());
        Assert.Equal([7, 8], standardLabeled.Labels.ToArray());
        Assert.Equal([0.0, 2, -2, -2], standardRegression.Inputs.ToArray());
        Assert.Equal([0.5, 1.5, 2.5, 3.5], standardRegression.Targets.ToArray());
        Assert.Equal([1.0, 10, 3, 30], labeled.Inputs.ToArray());
        Assert.Throws<ArgumentException>(() => standardizer.Transform(DataSet<double>.WithLabels([1, 2, 3], [0], 3)));
    }
}
