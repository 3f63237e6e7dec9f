using System.Globalization;
using System.Numerics;
using SimdDescent.Training.Data;

namespace SimdDescent.IO.Csv;

/// <summary>
/// Reads numeric delimited text (CSV, or whitespace-separated columns), raw or gzip-compressed (recognized by
/// its magic bytes), as a matrix or as a <see cref="DataSet{T}"/>.
/// </summary>
/// <remarks>
/// Numbers are parsed culture-invariantly ('.' decimal point, exponents allowed). Blank lines are skipped.
/// Every data line must have as many cells as the first; a ragged line, an empty or non-numeric cell, or a
/// NaN or infinity raises <see cref="InvalidDataException"/> naming the source, the line and the column, and
/// so does a line longer than <see cref="CsvOptions.MaxLineLength"/> or a row past <see cref="CsvOptions.MaxRows"/>,
/// as soon as it is seen. Meant for small tabular data: rows are collected in growing lists, then copied once
/// into the result.
/// </remarks>
public static class CsvReader
{
    /// <summary>Reads every column: the numbers row after row, and how many there are per row.</summary>
    /// <param name="path">The file, raw or gzip-compressed.</param>
    /// <param name="options">The layout and limits; comma-separated without header when null.</param>
    /// <exception cref="InvalidDataException">The file is empty or malformed.</exception>
    public static (T[] Values, int Columns) ReadMatrix<T>(string path, CsvOptions? options = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var (values, _, columns) = Read<T, T>(path, null, options);
        return (values, columns);
    }

    /// <summary>Reads one column as the class label of each row (whole numbers) and the other columns, in order, as its inputs.</summary>
    /// <param name="path">The file, raw or gzip-compressed.</param>
    /// <param name="labelColumn">The zero-based label column; a negative value counts from the end (−1 is the last column).</param>
    /// <param name="options">The layout and limits; comma-separated without header when null.</param>
    /// <exception cref="InvalidDataException">The file is empty or malformed, or has no such column.</exception>
    public static DataSet<T> ReadWithLabels<T>(string path, int labelColumn, CsvOptions? options = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var (inputs, labels, inputWidth) = Read<T, int>(path, labelColumn, options);
        return DataSet<T>.WithLabels(inputs, labels, inputWidth);
    }

    /// <summary>Reads one column as the real-valued target of each row and the other columns, in order, as its inputs.</summary>
    /// <param name="path">The file, raw or gzip-compressed.</param>
    /// <param name="targetColumn">The zero-based target column; a negative value counts from the end (−1 is the last column).</param>
    /// <param name="options">The layout and limits; comma-separated without header when null.</param>
    /// <exception cref="InvalidDataException">The file is empty or malformed, or has no such column.</exception>
    public static DataSet<T> ReadWithTargets<T>(string path, int targetColumn, CsvOptions? options = null)
        where T : unmanaged, IBinaryFloatingPointIeee754<T>
    {
        var (inputs, targets, inputWidth) = Read<T, T>(path, targetColumn, options);
        return DataSet<T>.WithTargets(inputs, targets, inputWidth, 1);
    }

    /// <summary>Reads already opened text into the cells of every column but the target, row-major, and the target cells.</summary>
    /// <param name="reader">The text, read to its end or to the first error.</param>
    /// <param name="sourceName">Names the source in error messages.</param>
    /// <param name="targetColumn">The target column (negative counts from the end), or null for none.</param>
    /// <param name="options">The layout and limits.</param>
    /// <exception cref="InvalidDataException">The text is empty or malformed, or has no such column.</exception>
    internal static (TFeature[] Features, TTarget[] Targets, int FeatureCount) Read<TFeature, TTarget>(
        TextReader reader, string sourceName, int? targetColumn, CsvOptions options)
        where TFeature : unmanaged, IBinaryFloatingPointIeee754<TFeature>
        where TTarget : unmanaged, INumber<TTarget>
    {
        var lines = new CsvLines(reader, sourceName, options.MaxLineLength);
        var features = new List<TFeature>();
        var targets = new List<TTarget>();
        var columns = 0;
        var target = -1;
        var firstDataLine = 0;
        var rows = 0;
        while (lines.TryRead(out var line))
        {
            var lineNumber = lines.LineNumber;
            if ((lineNumber == 1 && options.HasHeader) || line.IsWhiteSpace())
            {
                continue;
            }

            if (++rows > options.MaxRows)
            {
                throw new InvalidDataException($"'{sourceName}' holds more than {options.MaxRows} rows, the most this reader accepts (CsvOptions.MaxRows); line {lineNumber} is one too many.");
            }

            if (columns == 0)
            {
                columns = CountCells(line, options);
                target = ResolveTarget(targetColumn, columns, sourceName, lineNumber);
                firstDataLine = lineNumber;
            }

            var cells = new CsvCells(line, options);
            var column = 0;
            while (cells.TryNext(out var cell))
            {
                if (column == columns)
                {
                    throw Ragged(sourceName, lineNumber, CountCells(line, options), columns, firstDataLine);
                }

                if (column == target)
                {
                    targets.Add(Parse<TTarget>(cell, sourceName, lineNumber, column));
                }
                else
                {
                    features.Add(Parse<TFeature>(cell, sourceName, lineNumber, column));
                }

                column++;
            }

            if (column != columns)
            {
                throw Ragged(sourceName, lineNumber, column, columns, firstDataLine);
            }
        }

        var featureCount = target < 0 ? columns : columns - 1;
        if (featureCount == 0)
        {
            throw new InvalidDataException(columns == 0
                ? $"'{sourceName}' holds no data lines."
                : $"'{sourceName}' has only the target column; expected at least one feature column besides it.");
        }

        return ([.. features], [.. targets], featureCount);
    }

    private static (TFeature[] Features, TTarget[] Targets, int FeatureCount) Read<TFeature, TTarget>(string path, int? targetColumn, CsvOptions? options)
        where TFeature : unmanaged, IBinaryFloatingPointIeee754<TFeature>
        where TTarget : unmanaged, INumber<TTarget>
    {
        using var file = DataFile.Open(path);
        using var reader = new StreamReader(file);
        return Read<TFeature, TTarget>(reader, path, targetColumn, options ?? CsvOptions.Comma);
    }

    private static int CountCells(ReadOnlySpan<char> line, CsvOptions options)
    {
        var cells = new CsvCells(line, options);
        var count = 0;
        while (cells.TryNext(out _))
        {
            count++;
        }

        return count;
    }

    private static int ResolveTarget(int? targetColumn, int columns, string sourceName, int lineNumber)
    {
        if (targetColumn is not { } requested)
        {
            return -1;
        }

        var resolved = requested < 0 ? columns + requested : requested;
        if (resolved < 0 || resolved >= columns)
        {
            throw new InvalidDataException($"'{sourceName}' has {columns} columns (line {lineNumber}); there is no target column {requested}.");
        }

        return resolved;
    }

    private static T Parse<T>(ReadOnlySpan<char> cell, string sourceName, int lineNumber, int column)
        where T : INumber<T>
    {
        if (T.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && T.IsFinite(value))
        {
            return value;
        }

        throw new InvalidDataException($"'{sourceName}' line {lineNumber}, column {column + 1}: expected a finite number of type {typeof(T).Name}, found '{cell}'.");
    }

    private static InvalidDataException Ragged(string sourceName, int lineNumber, int cells, int columns, int firstDataLine) =>
        new($"'{sourceName}' line {lineNumber} has {cells} cells; expected {columns}, as on line {firstDataLine}.");
}
