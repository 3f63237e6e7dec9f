using System.Numerics;
using SimdDescent.Networks;
using SimdDescent.Randomness;

namespace SimdDescent.Training.Data;

/// <summary>
/// An in-memory data set: rows of inputs with either one class label or a row of real targets each.
/// The IO readers produce it (IDX, CSV, the embedded data sets) and training consumes it without
/// modifying it: the trainer shuffles row indices and copies each mini-batch into a buffer of its own.
/// </summary>
public sealed class DataSet<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly T[] _inputs;
    private readonly int[] _labels;
    private readonly T[] _targets;

    private DataSet(T[] inputs, int inputWidth, int[] labels, T[] targets, int targetWidth, TargetKind kind)
    {
        _inputs = inputs;
        _labels = labels;
        _targets = targets;
        InputWidth = inputWidth;
        TargetWidth = targetWidth;
        Kind = kind;
        Count = inputs.Length / inputWidth;
    }

    /// <summary>Rows in the set.</summary>
    public int Count { get; }

    /// <summary>Features per row.</summary>
    public int InputWidth { get; }

    /// <summary>Targets per row (0 for class labels).</summary>
    public int TargetWidth { get; }

    /// <summary>Whether rows carry class labels or real-valued targets.</summary>
    public TargetKind Kind { get; }

    /// <summary>Every input, row-major (Count × InputWidth).</summary>
    public ReadOnlySpan<T> Inputs => _inputs;

    /// <summary>Every label (empty for real-valued targets).</summary>
    public ReadOnlySpan<int> Labels => _labels;

    /// <summary>Every target, row-major (empty for class labels).</summary>
    public ReadOnlySpan<T> Targets => _targets;

    /// <summary>A classification set over <paramref name="inputs"/> (labels.Length × inputWidth), used without copying.</summary>
    /// <exception cref="ArgumentException">The lengths do not match.</exception>
    public static DataSet<T> WithLabels(T[] inputs, int[] labels, int inputWidth)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(labels);
        CheckRows(inputs.Length, inputWidth, labels.Length, nameof(inputs));
        return new DataSet<T>(inputs, inputWidth, labels, [], 0, TargetKind.ClassLabels);
    }

    /// <summary>A regression set over <paramref name="inputs"/> and <paramref name="targets"/>, used without copying.</summary>
    /// <exception cref="ArgumentException">The lengths do not match.</exception>
    public static DataSet<T> WithTargets(T[] inputs, T[] targets, int inputWidth, int targetWidth)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(targetWidth);
        if (targets.Length % targetWidth != 0)
        {
            throw new ArgumentException($"Expected targets to hold whole rows of {targetWidth}, but it has {targets.Length} elements.", nameof(targets));
        }

        CheckRows(inputs.Length, inputWidth, targets.Length / targetWidth, nameof(inputs));
        return new DataSet<T>(inputs, inputWidth, [], targets, targetWidth, TargetKind.Values);
    }

    /// <summary>The inputs of rows [<paramref name="first"/>, first + <paramref name="rows"/>).</summary>
    public ReadOnlySpan<T> InputRows(int first, int rows) => _inputs.AsSpan(first * InputWidth, rows * InputWidth);

    /// <summary>The labels of rows [<paramref name="first"/>, first + <paramref name="rows"/>).</summary>
    public ReadOnlySpan<int> LabelRows(int first, int rows) => _labels.AsSpan(first, rows);

    /// <summary>The targets of rows [<paramref name="first"/>, first + <paramref name="rows"/>).</summary>
    public ReadOnlySpan<T> TargetRows(int first, int rows) => _targets.AsSpan(first * TargetWidth, rows * TargetWidth);

    /// <summary>A new data set holding copies of the given rows, in the given order.</summary>
    /// <exception cref="ArgumentException"><paramref name="indices"/> is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An index is outside [0, <see cref="Count"/>).</exception>
    public DataSet<T> Select(ReadOnlySpan<int> indices)
    {
        if (indices.IsEmpty)
        {
            throw new ArgumentException("Expected at least one row index.", nameof(indices));
        }

        var inputs = new T[indices.Length * InputWidth];
        var labels = Kind == TargetKind.ClassLabels ? new int[indices.Length] : [];
        var targets = Kind == TargetKind.Values ? new T[indices.Length * TargetWidth] : [];
        for (var i = 0; i < indices.Length; i++)
        {
            var index = indices[i];
            if ((uint)index >= (uint)Count)
            {
                throw new ArgumentOutOfRangeException(nameof(indices), index, $"Expected row indices in [0, {Count}).");
            }

            InputRows(index, 1).CopyTo(inputs.AsSpan(i * InputWidth));
            if (Kind == TargetKind.ClassLabels)
            {
                labels[i] = _labels[index];
            }
            else
            {
                TargetRows(index, 1).CopyTo(targets.AsSpan(i * TargetWidth));
            }
        }

        return new DataSet<T>(inputs, InputWidth, labels, targets, TargetWidth, Kind);
    }

    /// <summary>
    /// Splits the rows at random into a training and a test set, reproducibly for a seed: the indices
    /// 0..Count−1 are shuffled with Fisher–Yates driven by <see cref="SplitMix64"/>(<paramref name="seed"/>);
    /// the first ⌈<paramref name="testFraction"/> · Count⌉ shuffled rows form the test set (the rounding
    /// scikit-learn's train_test_split uses), the rest the training set, both in shuffled order.
    /// </summary>
    /// <param name="testFraction">The share of rows to hold out, in (0, 1).</param>
    /// <param name="seed">The shuffle seed.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="testFraction"/> is NaN or leaves one of the two sets empty.
    /// </exception>
    public (DataSet<T> Train, DataSet<T> Test) TrainTestSplit(double testFraction, ulong seed)
    {
        // Rounding first keeps a product such as 0.1 × 30 = 3.0000000000000004 from becoming 4.
        var testCount = testFraction is > 0 and < 1 ? (int)Math.Ceiling(Math.Round(testFraction * Count, 9)) : 0;
        if (testCount is 0 || testCount == Count)
        {
            throw new ArgumentOutOfRangeException(nameof(testFraction), testFraction, $"Expected a test fraction in (0, 1) that leaves rows in both sets of a split of {Count} rows.");
        }

        var order = new int[Count];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        new SplitMix64(seed).Shuffle(order.AsSpan());
        return (Select(order.AsSpan(testCount)), Select(order.AsSpan(0, testCount)));
    }

    /// <summary>Copies rows [0, <paramref name="firstCount"/>) and the rest into two new sets (e.g. training and validation).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="firstCount"/> is not in (0, Count).</exception>
    public (DataSet<T> First, DataSet<T> Second) Split(int firstCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(firstCount);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(firstCount, Count);
        return (Rows(0, firstCount), Rows(firstCount, Count - firstCount));
    }

    private DataSet<T> Rows(int first, int rows) => new(
        InputRows(first, rows).ToArray(),
        InputWidth,
        Kind == TargetKind.ClassLabels ? LabelRows(first, rows).ToArray() : [],
        Kind == TargetKind.Values ? TargetRows(first, rows).ToArray() : [],
        TargetWidth,
        Kind);

    private static void CheckRows(int inputLength, int inputWidth, int rows, string name)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputWidth);
        if (rows == 0 || inputLength != rows * inputWidth)
        {
            throw new ArgumentException($"Expected inputs to hold rows × inputWidth = {rows} × {inputWidth} = {rows * inputWidth} elements (at least one row), but it has {inputLength}.", name);
        }
    }
}
