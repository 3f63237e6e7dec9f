namespace SimdDescent.IO.Csv;

/// <summary>How a numeric delimited text file is laid out.</summary>
public sealed record CsvOptions
{
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

    internal bool SeparatesOnWhitespace => Separator is ' ' or '\t';
}
