namespace SimdDescent.IO.Csv;

/// <summary>
/// Splits text into lines, ended by \n, \r\n or \r as <see cref="TextReader.ReadLine"/> does, but holds at most
/// one line of at most <c>maxLength</c> characters: a longer line is rejected as soon as it grows past that, so
/// text without line breaks (a binary file, /dev/zero) costs a bounded buffer rather than all of memory.
/// </summary>
internal sealed class CsvLines(TextReader reader, string sourceName, int maxLength)
{
    private char[] _buffer = new char[Math.Min(maxLength + 1L, 1 << 14)];
    private int _start;
    private int _end;
    private bool _endOfText;

    // The last line ended with \r: a \n right after it belongs to that line break.
    private bool _skipLineFeed;

    /// <summary>The 1-based number of the line <see cref="TryRead"/> returned last.</summary>
    public int LineNumber { get; private set; }

    /// <summary>The next line without its line break, valid until the next call; false at the end of the text.</summary>
    /// <exception cref="InvalidDataException">The line is longer than the maximum length.</exception>
    public bool TryRead(out ReadOnlySpan<char> line)
    {
        // Characters of the unread text known to hold no line break, so a refill does not scan them again.
        var scanned = 0;
        while (true)
        {
            if (_skipLineFeed && _start < _end)
            {
                _skipLineFeed = false;
                _start += _buffer[_start] == '\n' ? 1 : 0;
            }

            var unread = _buffer.AsSpan(_start, _end - _start);
            var lineBreak = unread[scanned..].IndexOfAny('\r', '\n');
            var length = lineBreak >= 0 ? scanned + lineBreak : unread.Length;
            if (length > maxLength)
            {
                throw new InvalidDataException(
                    $"'{sourceName}' line {LineNumber + 1} is longer than {maxLength} characters, the most a line may hold (CsvOptions.MaxLineLength); expected lines of delimited numbers.");
            }

            if (lineBreak >= 0 || (_endOfText && length > 0))
            {
                line = unread[..length];
                _skipLineFeed = lineBreak >= 0 && unread[length] == '\r';
                _start += lineBreak >= 0 ? length + 1 : length;
                LineNumber++;
                return true;
            }

            if (_endOfText)
            {
                line = default;
                return false;
            }

            scanned = length;
            Fill();
        }
    }

    /// <summary>Moves the unread text to the front, grows the buffer if it is full (never past one line too many), and reads more.</summary>
    private void Fill()
    {
        _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
        _end -= _start;
        _start = 0;
        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, (int)Math.Min(2L * _buffer.Length, maxLength + 1L));
        }

        var read = reader.Read(_buffer.AsSpan(_end));
        _end += read;
        _endOfText = read == 0;
    }
}
