namespace SimdDescent.IO.Csv;

/// <summary>How a numeric delimited text file is laid out, and how much of it a reader accepts.</summary>
public sealed record CsvOptions
{
    /// <summary>The largest <see cref="MaxLineLength"/>: a line of this many characters takes 2 GiB.</summary>
    public const int LargestLineLength = 1 << 30;

    /// <summary>Comma-separated values without a header line.</summary>
    public static CsvOptions Comma { get; } = new();

    /// <summary>Values separated by runs of spaces or tabs, without a header line.</summary>
    public static CsvOptions Whitespace { get; } = new() { Separator = ' ' };

    /// <summary>
    /// The character between cells (',' by default). A whitespace separator (' ' or '\t') treats any run
    /// of spaces and tabs as one separator and ignores them at the start and end of a line; any other
    /// separator separates exactly, and spaces around a cell are ignored.
    /// </summary>
    public char Separator { get; init; } = ',';

    /// <summary>Whether the first line names the columns and is skipped.</summary>
    public bool HasHeader { get; init; }

    /// <summary>
    /// The longest line accepted, in characters (1 Mi by default, in [1, <see cref="LargestLineLength"/>]). A
    /// longer line is rejected as soon as it grows past this, so text without line breaks costs a buffer of
    /// this size rather than all of memory.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside [1, <see cref="LargestLineLength"/>].</exception>
    public int MaxLineLength
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, LargestLineLength);
            field = value;
        }
    } = 1 << 20;

    /// <summary>
    /// The most data lines accepted (no limit by default); one more is rejected, which bounds what reading an
    /// endless stream can hold to this many rows.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not positive.</exception>
    public int MaxRows
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            field = value;
        }
    } = int.MaxValue;

    internal bool SeparatesOnWhitespace => Separator is ' ' or '\t';
}
