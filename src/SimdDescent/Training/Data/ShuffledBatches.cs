using System.Numerics;
using System.Runtime.CompilerServices;
using SimdDescent.Kernels;
using SimdDescent.Networks;
using SimdDescent.Randomness;

namespace SimdDescent.Training.Data;

/// <summary>
/// Mini-batches of a data set in shuffled order, without touching the set: Fisher–Yates permutes an array of
/// row indices, and each batch's rows are copied into one batch buffer the network reads as a contiguous
/// slice. A shuffle costs 4 bytes per row instead of moving whole rows, and the step reads its batch from
/// cache. Every buffer is allocated here, once.
/// </summary>
internal sealed class ShuffledBatches<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly DataSet<T> _source;
    private readonly int[] _order;
    private readonly T[] _inputs;
    private readonly int[] _labels;
    private readonly T[] _targets;
    private readonly DataSet<T> _batch;

    /// <summary>Batches of up to <paramref name="batchSize"/> rows of <paramref name="source"/>, starting in the set's own row order.</summary>
    public ShuffledBatches(DataSet<T> source, int batchSize)
    {
        _source = source;
        _order = new int[source.Count];
        for (var i = 0; i < _order.Length; i++)
        {
            _order[i] = i;
        }

        var rows = Math.Min(batchSize, source.Count);
        _inputs = new T[rows * source.InputWidth];
        if (source.Kind == TargetKind.ClassLabels)
        {
            _labels = new int[rows];
            _targets = [];
            _batch = DataSet<T>.WithLabels(_inputs, _labels, source.InputWidth);
        }
        else
        {
            _labels = [];
            _targets = new T[rows * source.TargetWidth];
            _batch = DataSet<T>.WithTargets(_inputs, _targets, source.InputWidth, source.TargetWidth);
        }
    }

    /// <summary>The inputs of the first <paramref name="rows"/> rows of the last gathered batch, to change in place (augmentation).</summary>
    public Span<T> Inputs(int rows) => _inputs.AsSpan(0, rows * _source.InputWidth);

    /// <summary>The source row at each position of the current order.</summary>
    public ReadOnlySpan<int> Order => _order;

    /// <summary>
    /// Permutes the current order (Fisher–Yates, driven only by <paramref name="random"/>). Shuffles compose:
    /// the order after n shuffles depends on the seed and n only, which is how a resumed run finds its place.
    /// </summary>
    public void Shuffle(ref SplitMix64 random) => random.Shuffle(_order.AsSpan());

    /// <summary>
    /// Copies the rows at positions [<paramref name="first"/>, first + <paramref name="rows"/>) of the current
    /// order into the batch buffer and returns it: the batch is rows [0, rows) of the returned set, valid
    /// until the next call.
    /// </summary>
    public DataSet<T> Gather(int first, int rows)
    {
        var width = _source.InputWidth;
        var order = _order.AsSpan(first, rows);
        for (var r = 0; r < order.Length; r++)
        {
            _source.InputRows(order[r], 1).CopyTo(_inputs.AsSpan(r * width, width));
        }

        if (_source.Kind == TargetKind.ClassLabels)
        {
            var labels = _source.Labels;
            for (var r = 0; r < order.Length; r++)
            {
                _labels[r] = labels[order[r]];
            }
        }
        else
        {
            var targetWidth = _source.TargetWidth;
            for (var r = 0; r < order.Length; r++)
            {
                _source.TargetRows(order[r], 1).CopyTo(_targets.AsSpan(r * targetWidth, targetWidth));
            }
        }

        // The next batch's rows sit at random places in a set of up to hundreds of megabytes: fetching them
        // while this batch's step runs hides the DRAM and page-walk latency of the next gather (2× faster).
        var next = _order.AsSpan(first + rows, Math.Min(rows, _order.Length - first - rows));
        foreach (var row in next)
        {
            Prefetch.Range(_source.InputRows(row, 1));
        }

        return _batch;
    }
}
