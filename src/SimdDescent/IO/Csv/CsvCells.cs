namespace SimdDescent.IO.Csv;

/// <summary>Walks the cells of one line without allocating.</summary>
internal ref struct CsvCells(ReadOnlySpan<char> line, CsvOptions options)
{
    private ReadOnlySpan<char> _rest = options.SeparatesOnWhitespace ? line.Trim(" \t") : line;
    private bool _done;

    /// <summary>The next cell with surrounding spaces removed; false after the last one.</summary>
    public bool TryNext(out ReadOnlySpan<char> cell)
    {
        if (_done)
        {
            cell = default;
            return false;
        }

        var end = options.SeparatesOnWhitespace ? _rest.IndexOfAny(' ', '\t') : _rest.IndexOf(options.Separator);
        if (end < 0)
        {
            cell = _rest.Trim(" \t");
            _done = true;
            return true;
        }

        cell = _rest[..end].Trim(" \t");
        _rest = options.SeparatesOnWhitespace ? _rest[end..].TrimStart(" \t") : _rest[(end + 1)..];
        return true;
    }
}
