namespace SimdDescent.Tests.IO;

/// <summary>
/// Text that repeats <paramref name="pattern"/> over and over, <paramref name="length"/> characters in all (endless
/// with <see cref="long.MaxValue"/>), made up as it is read: huge inputs without the memory or disk they name.
/// </summary>
internal sealed class RepeatingText(string pattern, long length = long.MaxValue) : TextReader
{
    /// <summary>Characters handed out so far.</summary>
    public long CharactersRead { get; private set; }

    public override int Peek() => CharactersRead < length ? pattern[(int)(CharactersRead % pattern.Length)] : -1;

    public override int Read()
    {
        var next = Peek();
        CharactersRead += next >= 0 ? 1 : 0;
        return next;
    }

    public override int Read(char[] buffer, int index, int count) => Read(buffer.AsSpan(index, count));

    public override int Read(Span<char> buffer)
    {
        var count = (int)Math.Min(buffer.Length, length - CharactersRead);
        for (var i = 0; i < count; i++)
        {
            buffer[i] = pattern[(int)((CharactersRead + i) % pattern.Length)];
        }

        CharactersRead += count;
        return count;
    }
}
