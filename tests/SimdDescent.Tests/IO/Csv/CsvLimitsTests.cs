using System.Text;
using SimdDescent.IO.Csv;

namespace SimdDescent.Tests.IO.Csv;

/// <summary>What reading text without line breaks, or without end, costs: a bounded buffer and a clear error.</summary>
public sealed class CsvLimitsTests
{
    private static (float[] Values, float[] Targets, int Columns) Read(TextReader text, CsvOptions options) =>
        CsvReader.Read<float, float>(text, "stream", null, options);

    [Fact]
    public void A_64_MB_single_line_is_stopped_at_the_maximum_line_length_with_bounded_allocation()
    {
        var line = new RepeatingText("0,", 64 << 20);
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<InvalidDataException>(() => Read(line, CsvOptions.Comma));

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal("'stream' line 1 is longer than 1048576 characters, the most a line may hold (CsvOptions.MaxLineLength); expected lines of delimited numbers.", error.Message);
        Assert.True(allocated < 16 << 20, $"allocated {allocated} bytes for a line the reader rejects");
        Assert.True(line.CharactersRead < 2 << 20, $"read {line.CharactersRead} characters of a line it rejected");
    }

    [Fact]
    public void Endless_text_of_zero_characters_is_rejected_as_one_overlong_line()
    {
        var zeros = new RepeatingText("\0");
        var before = GC.GetAllocatedBytesForCurrentThread();

        var error = Assert.Throws<InvalidDataException>(() => Read(zeros, CsvOptions.Comma with { MaxLineLength = 1000 }));

        Assert.Contains("line 1 is longer than 1000 characters", error.Message);
        Assert.True(GC.GetAllocatedBytesForCurrentThread() - before < 1 << 20);
    }

    [Fact]
    public void Endless_rows_stop_at_the_maximum_row_count()
    {
        var rows = new RepeatingText("1,2\n");

        var error = Assert.Throws<InvalidDataException>(() => Read(rows, CsvOptions.Comma with { MaxRows = 1000 }));

        Assert.Equal("'stream' holds more than 1000 rows, the most this reader accepts (CsvOptions.MaxRows); line 1001 is one too many.", error.Message);
    }

    [Theory]
    [InlineData(7, true)]
    [InlineData(6, false)]
    public void A_line_of_exactly_the_maximum_length_is_accepted_and_one_character_more_is_not(int maxLineLength, bool accepted)
    {
        var text = new StringReader("1,2,3\r\n1.5,2,3\r\n");
        var options = CsvOptions.Comma with { MaxLineLength = maxLineLength };

        if (accepted)
        {
            Assert.Equal([1f, 2, 3, 1.5f, 2, 3], Read(text, options).Values);
        }
        else
        {
            Assert.Contains("line 2 is longer than 6 characters", Assert.Throws<InvalidDataException>(() => Read(text, options)).Message);
        }
    }

    [Fact]
    public void Limits_outside_their_range_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => CsvOptions.Comma with { MaxLineLength = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => CsvOptions.Comma with { MaxLineLength = CsvOptions.LargestLineLength + 1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => CsvOptions.Comma with { MaxRows = 0 });
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void Lines_split_as_TextReader_ReadLine_splits_them_across_every_buffer_boundary(int seed)
    {
        // Short lines and a small maximum keep the buffer small, so \r\n pairs and lines straddle its refills.
        var random = new Random(seed);
        var text = new StringBuilder();
        for (var i = 0; i < 2000; i++)
        {
            text.Append(new string('x', random.Next(0, 12)));
            text.Append(random.Next(4) switch { 0 => "\r", 1 => "\n", _ => "\r\n" });
        }

        text.Append(random.Next(2) == 0 ? "tail" : string.Empty);
        var expected = new List<string>();
        using (var reference = new StringReader(text.ToString()))
        {
            while (reference.ReadLine() is { } line)
            {
                expected.Add(line);
            }
        }

        var actual = new List<string>();
        var lines = new CsvLines(new StringReader(text.ToString()), "text", 11);
        while (lines.TryRead(out var line))
        {
            actual.Add(line.ToString());
            Assert.Equal(actual.Count, lines.LineNumber);
        }

        Assert.Equal(expected, actual);
    }
}
