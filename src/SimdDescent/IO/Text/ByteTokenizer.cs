using System.Text;

namespace SimdDescent.IO.Text;

/// <summary>
/// Byte-level tokenization: every byte of the text is one token, its id the byte's value (0..255), so any
/// file is a token text as it stands and no vocabulary is needed. Text is encoded as UTF-8.
/// </summary>
public static class ByteTokenizer
{
    /// <summary>The number of distinct tokens: one per byte value.</summary>
    public const int VocabularySize = 256;

    /// <summary>tokens[i] = bytes[i]; allocates nothing.</summary>
    /// <exception cref="ArgumentException"><paramref name="tokens"/> is shorter than <paramref name="bytes"/>.</exception>
    public static void Encode(ReadOnlySpan<byte> bytes, Span<int> tokens)
    {
        RequireRoom(tokens.Length, bytes.Length, nameof(tokens));
        ByteWidening.Widen(bytes, tokens);
    }

    /// <summary>The tokens of <paramref name="text"/>'s UTF-8 bytes (a prompt, for instance).</summary>
    public static int[] Encode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = Encoding.UTF8.GetBytes(text);
        var tokens = new int[bytes.Length];
        ByteWidening.Widen<int>(bytes, tokens);
        return tokens;
    }

    /// <summary>bytes[i] = tokens[i]; allocates nothing.</summary>
    /// <exception cref="ArgumentException"><paramref name="bytes"/> is shorter than <paramref name="tokens"/>, or a token is not in 0..255.</exception>
    public static void Decode(ReadOnlySpan<int> tokens, Span<byte> bytes)
    {
        RequireRoom(bytes.Length, tokens.Length, nameof(bytes));
        for (var i = 0; i < tokens.Length; i++)
        {
            var token = tokens[i];
            if ((uint)token >= VocabularySize)
            {
                throw new ArgumentException($"Token {i} is {token}; byte tokens lie in 0..{VocabularySize - 1}.", nameof(tokens));
            }

            bytes[i] = (byte)token;
        }
    }

    /// <summary>
    /// The text the tokens spell, read as UTF-8. A model may emit any byte sequence: each ill-formed part
    /// (a stray continuation byte, a sequence cut short, an overlong form) becomes U+FFFD, as
    /// <see cref="Encoding.UTF8"/> decodes, so the result is always a valid string.
    /// </summary>
    /// <exception cref="ArgumentException">A token is not in 0..255.</exception>
    public static string Decode(ReadOnlySpan<int> tokens)
    {
        var bytes = new byte[tokens.Length];
        Decode(tokens, bytes);
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>
    /// <see cref="Decode(ReadOnlySpan{int})"/> made safe to print on a terminal: line feeds and tabs stay, the
    /// other C0 control characters and DEL become their visible Control Pictures (U+2400 + code, DEL → U+2421)
    /// and the C1 controls (U+0080..U+009F) become U+FFFD, so sampled bytes cannot move the cursor, ring the
    /// bell or start an escape sequence.
    /// </summary>
    /// <exception cref="ArgumentException">A token is not in 0..255.</exception>
    public static string DecodeForDisplay(ReadOnlySpan<int> tokens)
    {
        var text = Decode(tokens);
        return string.Create(text.Length, text, static (display, text) =>
        {
            for (var i = 0; i < text.Length; i++)
            {
                display[i] = Visible(text[i]);
            }
        });
    }

    /// <summary>The character shown for <paramref name="c"/> in display text (see <see cref="DecodeForDisplay"/>).</summary>
    internal static char Visible(char c) => c switch
    {
        '\n' or '\t' => c,
        < ' ' => (char)(0x2400 + c),
        '\u007F' => '\u2421',
        >= '\u0080' and <= '\u009F' => '\uFFFD',
        _ => c,
    };

    private static void RequireRoom(int available, int needed, string name)
    {
        if (available < needed)
        {
            throw new ArgumentException($"The destination holds {available} elements; {needed} are needed.", name);
        }
    }
}
