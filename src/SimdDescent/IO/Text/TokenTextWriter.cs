using System.Text;

namespace SimdDescent.IO.Text;

/// <summary>
/// Shows byte tokens as text while they are generated, one token at a time: a character whose UTF-8 bytes
/// span several tokens is written once its last byte arrives, and the text is made display-safe as
/// <see cref="ByteTokenizer.DecodeForDisplay"/> makes it, so the output is the same as decoding all the
/// tokens at once. Writing a token allocates nothing beyond what <paramref name="output"/> does.
/// </summary>
/// <param name="output">Where the text goes (the console, for instance).</param>
public sealed class TokenTextWriter(TextWriter output)
{
    private readonly TextWriter _output = output ?? throw new ArgumentNullException(nameof(output));
    private readonly Decoder _decoder = Encoding.UTF8.GetDecoder();

    // One byte completes at most one code point (two UTF-16 chars); an ill-formed sequence cut short by the
    // new byte adds one U+FFFD more.
    private readonly char[] _chars = new char[4];

    /// <summary>Writes what <paramref name="token"/> completes; an unfinished UTF-8 sequence waits for its next byte.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="token"/> is not in 0..255.</exception>
    public void Write(int token)
    {
        if ((uint)token >= ByteTokenizer.VocabularySize)
        {
            throw new ArgumentOutOfRangeException(nameof(token), token, $"Byte tokens lie in 0..{ByteTokenizer.VocabularySize - 1}.");
        }

        ReadOnlySpan<byte> bytes = [(byte)token];
        Emit(_decoder.GetChars(bytes, _chars, flush: false));
    }

    /// <summary>Writes an unfinished UTF-8 sequence as U+FFFD (the text has ended) and flushes the output.</summary>
    public void Flush()
    {
        Emit(_decoder.GetChars([], _chars, flush: true));
        _output.Flush();
    }

    private void Emit(int count)
    {
        var chars = _chars.AsSpan(0, count);
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = ByteTokenizer.Visible(chars[i]);
        }

        _output.Write(chars);
    }
}
