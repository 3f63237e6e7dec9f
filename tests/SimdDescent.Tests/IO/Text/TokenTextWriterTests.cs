using SimdDescent.IO.Text;
using SimdDescent.Randomness;

namespace SimdDescent.Tests.IO.Text;

public sealed class TokenTextWriterTests
{
    private static string WriteOneByOne(IEnumerable<int> tokens)
    {
        using var output = new StringWriter();
        var writer = new TokenTextWriter(output);
        foreach (var token in tokens)
        {
            writer.Write(token);
        }

        writer.Flush();
        return output.ToString();
    }

    [Fact]
    public void Writing_the_shipped_text_token_by_token_shows_what_decoding_it_whole_shows()
    {
        var tokens = ShippedText.Bytes().Select(b => (int)b).ToArray();

        Assert.Equal(ByteTokenizer.DecodeForDisplay(tokens), WriteOneByOne(tokens));
    }

    [Fact]
    public void Any_byte_sequence_streams_to_the_same_text_as_decoding_it_whole()
    {
        // Mostly high bytes, so that lead bytes, continuation bytes, cut sequences and controls all meet.
        var random = new SplitMix64(17);
        for (var trial = 0; trial < 500; trial++)
        {
            var tokens = new int[random.NextInt32(40)];
            for (var i = 0; i < tokens.Length; i++)
            {
                tokens[i] = random.NextInt32(4) == 0 ? random.NextInt32(128) : 0x80 + random.NextInt32(128);
            }

            Assert.Equal(ByteTokenizer.DecodeForDisplay(tokens), WriteOneByOne(tokens));
        }
    }

    [Fact]
    public void A_character_split_across_tokens_appears_when_its_last_byte_arrives()
    {
        using var output = new StringWriter();
        var writer = new TokenTextWriter(output);

        writer.Write('a');
        writer.Write(0xE2);
        writer.Write(0x80);
        Assert.Equal("a", output.ToString());
        writer.Write(0x94);
        Assert.Equal("a—", output.ToString());
        writer.Write(0xC3);
        writer.Flush();
        Assert.Equal("a—\uFFFD", output.ToString());
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(256)]
    public void A_token_outside_the_byte_range_is_rejected(int token)
    {
        var writer = new TokenTextWriter(TextWriter.Null);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => writer.Write(token));

        Assert.Equal("token", error.ParamName);
    }
}
