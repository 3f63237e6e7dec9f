using System.Numerics;
using SimdDescent.Kernels;
using SimdDescent.Networks;
using SimdDescent.Training.Data;

namespace SimdDescent.Training.Parallel;

/// <summary>
/// Data-parallel gradients of one mini-batch: the batch is cut into a fixed number of shards, each
/// computed by its own workspace, and the shard gradients are combined as Σ (rowsₛ / rows)·gₛ in shard
/// order. Shards and their order depend only on the batch and the shard count, and each worker
/// reduces a fixed slice of the arena, so the result is bitwise the same for any number of threads.
/// </summary>
internal sealed class ShardedGradients<T> : IParallelJob
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    // Reduction slices start at multiples of this, so each worker's slice runs the vector path of the
    // element-wise kernels and rounds exactly as one slice over the whole arena would.
    private const int SliceAlignment = 64;

    private readonly INetworkWorkspace<T>[] _workspaces;
    private readonly double[] _losses;
    private readonly T[] _reduced;
    private readonly WorkerPool _pool;
    private readonly int _parameterCount;
    private DataSet<T>? _data;
    private int _firstRow;
    private int _rows;
    private bool _reducing;

    public ShardedGradients(INetwork<T> network, int shards, WorkerPool pool)
    {
        _pool = pool;
        _parameterCount = network.ParameterCount;
        _workspaces = new INetworkWorkspace<T>[shards];
        _workspaces[0] = shards == 1 ? network.Workspace : network.CreateWorkspace();
        for (var s = 1; s < shards; s++)
        {
            _workspaces[s] = network.CreateWorkspace();
        }

        _losses = new double[shards];
        _reduced = shards == 1 ? [] : new T[_parameterCount];
    }

    public int Shards => _workspaces.Length;

    /// <summary>The gradient of the last batch's mean loss, <see cref="INetwork{T}.ParameterCount"/> elements.</summary>
    public Span<T> Gradients => Shards == 1 ? _workspaces[0].Gradients[.._parameterCount] : _reduced;

    /// <summary>The first shard's workspace, for callers that need one workspace (e.g. a gradient check).</summary>
    public INetworkWorkspace<T> FirstWorkspace => _workspaces[0];

    /// <summary>Runs forward and backward on rows [first, first + rows) and returns the mean loss.</summary>
    public double Compute(DataSet<T> data, int firstRow, int rows)
    {
        _data = data;
        _firstRow = firstRow;
        _rows = rows;
        _reducing = false;
        _pool.Run(this);
        if (Shards > 1)
        {
            _reducing = true;
            _pool.Run(this);
        }

        _data = null;
        var loss = 0.0;
        for (var s = 0; s < Shards; s++)
        {
            loss += _losses[s] * ShardRows(s) / rows;
        }

        return loss;
    }

    public void Execute(int worker, int workers)
    {
        if (_reducing)
        {
            Reduce(worker, workers);
            return;
        }

        for (var s = worker; s < Shards; s += workers)
        {
            ComputeShard(s);
        }
    }

    private int ShardStart(int shard) => (int)((long)shard * _rows / Shards);

    private int ShardRows(int shard) => ShardStart(shard + 1) - ShardStart(shard);

    private void ComputeShard(int shard)
    {
        var rows = ShardRows(shard);
        _losses[shard] = 0;
        if (rows == 0)
        {
            return;
        }

        var data = _data!;
        var first = _firstRow + ShardStart(shard);
        var workspace = _workspaces[shard];
        workspace.IsTraining = true;
        var loss = data.Kind == TargetKind.ClassLabels
            ? workspace.Forward(data.InputRows(first, rows), data.LabelRows(first, rows), rows)
            : workspace.Forward(data.InputRows(first, rows), data.TargetRows(first, rows), rows);
        workspace.Backward();
        _losses[shard] = double.CreateTruncating(loss);
    }

    private void Reduce(int worker, int workers)
    {
        if (_parameterCount < SliceAlignment * workers)
        {
            workers = 1;
            if (worker != 0)
            {
                return;
            }
        }

        var begin = SliceStart(worker, workers);
        var length = SliceStart(worker + 1, workers) - begin;
        var destination = _reduced.AsSpan(begin, length);
        var first = true;
        for (var s = 0; s < Shards; s++)
        {
            var rows = ShardRows(s);
            if (rows == 0)
            {
                continue;
            }

            var weight = T.CreateTruncating((double)rows / _rows);
            var source = _workspaces[s].Gradients.Slice(begin, length);
            if (first)
            {
                Blas.Scale(weight, source, destination);
                first = false;
            }
            else
            {
                Blas.Axpy(weight, source, destination);
            }
        }
    }

    private int SliceStart(int worker, int workers) =>
        worker == workers ? _parameterCount : (int)((long)worker * _parameterCount / workers) / SliceAlignment * SliceAlignment;
}
