using System.Text;
using SimdDescent.IO.Csv;
using SimdDescent.Tests.Support;

namespace SimdDescent.Tests.IO.Csv;

public sealed class CsvReaderTests
{
    private static string Write(TemporaryDirectory directory, string name, string text, bool compressed = false) =>
        directory.Write(name, Encoding.UTF8.GetBytes(text), compressed);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Read_splits_off_the_target_column_and_keeps_the_others_in_order(bool compressed)
    {
        using var directory = new TemporaryDirectory();
        var path = Write(directory, "data.csv", "1,2.5,3\n-4,5e-1,6\n", compressed);

        var data = CsvReader.ReadWithLabels<double>(path, labelColumn: -1);

        Assert.Equal(2, data.Count);
        Assert.Equal(2, data.InputWidth);
        Assert.Equal([1, 2.5, -4, 0.5], data.Inputs.ToArray());
        Assert.Equal([3, 6], data.Labels.ToArray());
    }

    [Theory]
    [InlineData(0, new float[] { 2, 3, 5, 6 }, new float[] { 1, 4 })]
    [InlineData(1, new float[] { 1, 3, 4, 6 }, new float[] { 2, 5 })]
    [InlineData(-2, new float[] { 1, 3, 4, 6 }, new float[] { 2, 5 })]
    public void Any_column_can_be_the_target(int targetColumn, float[] features, float[] targets)
    {
        using var directory = new TemporaryDirectory();
        var path = Write(directory, "data.csv", "1,2,3\n4,5,6");

        var data = CsvReader.ReadWithTargets<float>(path, targetColumn);

        Assert.Equal(features, data.Inputs.ToArray());
        Assert.Equal(targets, data.Targets.ToArray());
    }

    [Fact]
    public void A_whitespace_separator_accepts_runs_of_spaces_and_tabs_and_ignores_them_at_the_ends()
    {
        using var directory = new TemporaryDirectory();
        var path = Write(directory, "data.txt", "  59 2  32.1\t101.0 \n48\t 1 21.6 87.0\n");

        var (values, columns) = CsvReader.ReadMatrix<double>(path, CsvOptions.Whitespace);

        Assert.Equal(4, columns);
        Assert.Equal([59, 2, 32.1, 101.0, 48, 1, 21.6, 87.0], values);
    }

    [Fact]
    public void Header_lines_blank_lines_CRLF_and_spaces_around_cells_are_tolerated()
    {
        using var directory = new TemporaryDirectory();
        var path = Write(directory, "data.csv", "a;b\r\n1 ; 2\r\n\r\n  \r\n3;4\r\n");

        var (values, _) = CsvReader.ReadMatrix<float>(path, new CsvOptions { Separator = ';', HasHeader = true });

        Assert.Equal([1f, 2, 3, 4], values);
    }

    [Fact]
    public void Numbers_parse_the_same_in_every_culture()
    {
        using var directory = new TemporaryDirectory();
        var path = Write(directory, "data.csv", "1.5,-2E+2,.25,1e-3");

        Assert.Equal([1.5, -200, 0.25, 0.001], CsvReader.ReadMatrix<double>(path).Values);
    }

    public static TheoryData<string, string> MalformedFiles => new()
    {
        { "1,2,3\n4,5\n", "line 2 has 2 cells; expected 3, as on line 1" },
        { "\n1,2\n4,5,6\n", "line 3 has 3 cells; expected 2, as on line 2" },
        { "1,2,0\n3,x,0\n", "line 2, column 2: expected a finite number of type Double, found 'x'" },
        { "1,2,0\n3,,0\n", "line 2, column 2: expected a finite number of type Double, found ''" },
        { "1,NaN,0\n", "line 1, column 2: expected a finite number of type Double, found 'NaN'" },
        { "1,1e999,0\n", "found '1e999'" },
        { "1,2,3.5\n", "line 1, column 3: expected a finite number of type Int32, found '3.5'" },
        { "1,2,3\n1,2,3,4\n", "line 2 has 4 cells; expected 3" },
        { "", "holds no data lines" },
        { "\n \n", "holds no data lines" },
        { "1\n2\n", "only the target column" },
    };

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public void Malformed_files_are_rejected_with_the_file_line_and_column(string text, string expectedMessage)
    {
        using var directory = new TemporaryDirectory();
        var path = Write(directory, "bad.csv", text);

        var error = Assert.Throws<InvalidDataException>(() => CsvReader.ReadWithLabels<double>(path, labelColumn: -1));

        Assert.Contains($"'{path}'", error.Message);
        Assert.Contains(expectedMessage, error.Message);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(-4)]
    public void A_target_column_outside_the_row_is_rejected(int targetColumn)
    {
        using var directory = new TemporaryDirectory();
        var path = Write(directory, "data.csv", "1,2,3\n");

        var error = Assert.Throws<InvalidDataException>(() => CsvReader.ReadWithTargets<double>(path, targetColumn));

        Assert.Contains($"has 3 columns (line 1); there is no target column {targetColumn}", error.Message);
    }

    [Fact]
    public void The_diabetes_files_read_as_442_rows_of_ten_features_and_one_target()
    {
        var features = CsvReader.ReadMatrix<double>(TestData.PathOf("diabetes_data_raw.csv.gz"), CsvOptions.Whitespace);
        var target = CsvReader.ReadMatrix<double>(TestData.PathOf("diabetes_target.csv.gz"), CsvOptions.Whitespace);

        Assert.Equal((442 * 10, 10), (features.Values.Length, features.Columns));
        Assert.Equal((442, 1), (target.Values.Length, target.Columns));
        Assert.Equal([59, 2, 32.1, 101.0, 157, 93.2, 38.0, 4.0, 4.8598, 87], features.Values[..10]);
        Assert.Equal(151.0, target.Values[0]);
    }
}
