using System.Text;
using SimdDescent.IO.Text;
using SimdDescent.Kernels;
using SimdDescent.Tests.Support;

namespace SimdDescent.Tests.IO.Text;

public sealed class ByteTokenizerTests
{
    [Theory]
    [MemberData(nameof(Paths.All), MemberType = typeof(Paths))]
    public void The_shipped_text_round_trips_through_tokens_one_token_per_byte(VectorPath path)
    {
        using var forced = SimdDispatch.Force(path);
        var bytes = ShippedText.Bytes();
        var tokens = new int[bytes.Length + 1];
        tokens[^1] = -7;

        ByteTokenizer.Encode(bytes, tokens);
        var decoded = new byte[bytes.Length];
        ByteTokenizer.Decode(tokens.AsSpan(0, bytes.Length), decoded);

        for (var i = 0; i < bytes.Length; i++)
        {
            Assert.Equal(bytes[i], tokens[i]);
        }

        Assert.Equal(-7, tokens[^1]);
        Assert.Equal(bytes, decoded);
        Assert.Equal(Encoding.UTF8.GetString(bytes), ByteTokenizer.Decode(tokens.AsSpan(0, bytes.Length)));
    }

    [Fact]
    public void A_string_is_encoded_as_its_utf8_bytes_and_decoded_back()
    {
        // c a f é(C3 A9) space em-dash(E2 80 94)
        var tokens = ByteTokenizer.Encode("café —");

        Assert.Equal([0x63, 0x61, 0x66, 0xC3, 0xA9, 0x20, 0xE2, 0x80, 0x94], tokens);
        Assert.Equal("café —", ByteTokenizer.Decode(tokens));
        Assert.Empty(ByteTokenizer.Encode(""));
    }

    [Fact]
    public void Ill_formed_utf8_decodes_to_replacement_characters_and_keeps_the_well_formed_rest()
    {
        // 'f', a lead byte followed by ASCII, a stray continuation byte, 'é', then a three-byte sequence cut short.
        int[] tokens = [0x66, 0xC3, 0x28, 0x80, 0xC3, 0xA9, 0xE2, 0x82];

        Assert.Equal("f\uFFFD(\uFFFDé\uFFFD", ByteTokenizer.Decode(tokens));
    }

    [Fact]
    public void Display_text_shows_control_bytes_as_pictures_and_keeps_line_feeds_tabs_and_letters()
    {
        // BEL, BS, TAB, LF, CR, ESC '[', DEL, the C1 control CSI (C2 9B), 'é', 'a'
        int[] tokens = [7, 8, 9, 10, 13, 27, '[', 127, 0xC2, 0x9B, 0xC3, 0xA9, 'a'];

        Assert.Equal("\u2407\u2408\t\n\u240D\u241B[\u2421\uFFFDéa", ByteTokenizer.DecodeForDisplay(tokens));
        Assert.Equal("\a\b\t\n\r\u001B[\u007F\u009Béa", ByteTokenizer.Decode(tokens));
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(256)]
    [InlineData(int.MinValue)]
    public void A_token_outside_the_byte_range_is_rejected_with_its_position(int token)
    {
        int[] tokens = [65, 66, token];

        var error = Assert.Throws<ArgumentException>(() => ByteTokenizer.Decode(tokens));
        Assert.Equal("tokens", error.ParamName);
        Assert.Contains($"Token 2 is {token}", error.Message);
        Assert.Throws<ArgumentException>(() => ByteTokenizer.DecodeForDisplay(tokens));
    }

    [Fact]
    public void Destinations_shorter_than_the_source_are_rejected()
    {
        var encode = Assert.Throws<ArgumentException>(() => ByteTokenizer.Encode(new byte[5], new int[4]));
        var decode = Assert.Throws<ArgumentException>(() => ByteTokenizer.Decode(new int[5], new byte[4]));

        Assert.Equal("tokens", encode.ParamName);
        Assert.Equal("bytes", decode.ParamName);
        Assert.Contains("holds 4 elements; 5 are needed", encode.Message);
    }
}
