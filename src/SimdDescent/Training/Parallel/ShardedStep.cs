using System.Numerics;
using SimdDescent.Kernels;
using SimdDescent.Kernels.Parallel;
using SimdDescent.Networks;
using SimdDescent.Training.Data;
using SimdDescent.Training.Optimizers;

namespace SimdDescent.Training.Parallel;

/// <summary>
/// Data-parallel gradients and update of one mini-batch: the batch is cut into a fixed number of shards,
/// each computed by its own workspace, and the shard gradients are combined as Σ (rowsₛ / rows)·gₛ in
/// shard order. The arena is cut into a fixed number of chunks; each worker reduces a fixed run of
/// chunks, sums their squares for the norm, and later updates the same run, so a gradient never leaves
/// the core that reduced it (moving 400 KB between cores cost more than the second core gained). Shards,
/// chunks and every order depend only on the batch and the shard count, so the result is bitwise the
/// same for any number of threads.
/// </summary>
internal sealed class ShardedStep<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    // Fixed whatever the thread count; enough that two or four workers get equal runs.
    private const int Chunks = 16;

    private readonly INetworkWorkspace<T>[] _workspaces;
    private readonly double[] _losses;
    private readonly T[] _reduced;
    private readonly WorkerPool _pool;
    private readonly Optimizer<T> _optimizer;
    private readonly INetwork<T> _network;
    private readonly int _parameterCount;
    private readonly T[][] _outputs;
    private readonly int[][] _predicted;
    private readonly int[] _correct;
    private readonly double[] _chunkSquares = new double[Chunks];
    private DataSet<T>? _data;
    private int _firstRow;
    private int _rows;
    private Phase _phase;
    private T _scale;

    private enum Phase
    {
        Shards,
        Reduce,
        Update,
    }

    public ShardedStep(INetwork<T> network, int shards, WorkerPool pool, Optimizer<T> optimizer)
    {
        _pool = pool;
        _optimizer = optimizer;
        _network = network;
        _parameterCount = network.ParameterCount;
        _workspaces = new INetworkWorkspace<T>[shards];
        _workspaces[0] = shards == 1 ? network.Workspace : network.CreateWorkspace();
        for (var s = 1; s < shards; s++)
        {
            _workspaces[s] = network.CreateWorkspace();
        }

        _losses = new double[shards];
        _reduced = shards == 1 ? [] : new T[_parameterCount];
        _correct = new int[shards];
        _outputs = new T[shards][];
        _predicted = new int[shards][];
    }

    /// <summary>Whether each shard also predicts its rows and counts the correctly classified ones (one more forward pass).</summary>
    public bool CountCorrect { get; set; }

    /// <summary>Rows of the last batch whose largest output was the label (with <see cref="CountCorrect"/> on a classification set).</summary>
    public int Correct
    {
        get
        {
            var correct = 0;
            foreach (var count in _correct)
            {
                correct += count;
            }

            return correct;
        }
    }

    public int Shards => _workspaces.Length;

    /// <summary>The gradient of the last batch's mean loss, <see cref="IModel{T}.ParameterCount"/> elements.</summary>
    public Span<T> Gradients => Shards == 1 ? _workspaces[0].Gradients[.._parameterCount] : _reduced;

    /// <summary>The first shard's workspace, for callers that need one workspace (e.g. a gradient check).</summary>
    public INetworkWorkspace<T> FirstWorkspace => _workspaces[0];

    /// <summary>The global L2 norm of <see cref="Gradients"/> after the last <see cref="Compute"/>, frozen groups zeroed (NaN or ∞ if a gradient is not finite).</summary>
    public double GradientNorm { get; private set; }

    /// <summary>
    /// Runs forward and backward on rows [first, first + rows), reduces the shards, zeroes the frozen
    /// groups' gradients and computes <see cref="GradientNorm"/>; returns the mean loss.
    /// </summary>
    public double Compute(DataSet<T> data, int firstRow, int rows)
    {
        _data = data;
        _firstRow = firstRow;
        _rows = rows;
        _phase = Phase.Shards;
        RunPhase();
        _data = null;
        if (Shards > 1)
        {
            _phase = Phase.Reduce;
            RunPhase();
            GradientNorm = CombineChunkNorms();
        }
        else
        {
            _optimizer.ClearFrozenGradients(Gradients);
            GradientNorm = double.CreateTruncating(Reductions.Norm2<T>(Gradients));
        }

        var loss = 0.0;
        for (var s = 0; s < Shards; s++)
        {
            loss += _losses[s] * ShardRows(s) / rows;
        }

        return loss;
    }

    /// <summary>Scales the gradients by <paramref name="scale"/> (when below one) and runs the optimizer's step on the network's parameters.</summary>
    public void Update(double scale)
    {
        _scale = T.CreateTruncating(scale);
        _optimizer.BeginStep(_network.Parameters, Gradients);
        if (Shards == 1)
        {
            ScaleAndUpdate(0, _parameterCount);
            return;
        }

        _phase = Phase.Update;
        RunPhase();
    }

    private void RunPhase() => _pool.For(_pool.Workers, new PhaseParts(this, _pool.Workers));

    private void Execute(int worker, int workers)
    {
        switch (_phase)
        {
            case Phase.Shards:
                for (var s = worker; s < Shards; s += workers)
                {
                    ComputeShard(s);
                }

                break;
            case Phase.Reduce:
                for (var c = FirstChunk(worker, workers); c < FirstChunk(worker + 1, workers); c++)
                {
                    ReduceChunk(c);
                }

                break;
            default:
                ScaleAndUpdate(ChunkStart(FirstChunk(worker, workers)), ChunkStart(FirstChunk(worker + 1, workers)));
                break;
        }
    }

    private int ShardStart(int shard) => (int)((long)shard * _rows / Shards);

    private int ShardRows(int shard) => ShardStart(shard + 1) - ShardStart(shard);

    private void ComputeShard(int shard)
    {
        var rows = ShardRows(shard);
        _losses[shard] = 0;
        _correct[shard] = 0;
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
        _correct[shard] = CountCorrect && data.Kind == TargetKind.ClassLabels ? CountCorrectRows(shard, workspace, data, first, rows) : 0;
    }

    private int CountCorrectRows(int shard, INetworkWorkspace<T> workspace, DataSet<T> data, int first, int rows)
    {
        var width = workspace.Network.OutputWidth;
        var outputs = (_outputs[shard] ??= new T[workspace.Network.MaxBatch * width]).AsSpan(0, rows * width);
        var predicted = (_predicted[shard] ??= new int[workspace.Network.MaxBatch]).AsSpan(0, rows);
        workspace.Predict(data.InputRows(first, rows), outputs, rows);
        Reductions.ArgMaxRows<T>(outputs, predicted, rows, width);
        var labels = data.LabelRows(first, rows);
        var correct = 0;
        for (var r = 0; r < rows; r++)
        {
            correct += predicted[r] == labels[r] ? 1 : 0;
        }

        return correct;
    }

    private void ReduceChunk(int chunk)
    {
        var begin = ChunkStart(chunk);
        var destination = _reduced.AsSpan(begin, ChunkStart(chunk + 1) - begin);
        var first = true;
        for (var s = 0; s < Shards; s++)
        {
            var rows = ShardRows(s);
            if (rows == 0)
            {
                continue;
            }

            var weight = T.CreateTruncating((double)rows / _rows);
            var source = _workspaces[s].Gradients.Slice(begin, destination.Length);
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

        _optimizer.ClearFrozenGradients(_reduced, begin, begin + destination.Length);
        _chunkSquares[chunk] = double.CreateTruncating(Reductions.SumOfSquares<T>(destination));
    }

    /// <summary>√ of the chunks' sums of squares, added in chunk order; the overflow- and underflow-safe <see cref="Reductions.Norm2{T}"/> when a chunk's sum left the safe range.</summary>
    private double CombineChunkNorms()
    {
        var sum = 0.0;
        foreach (var squares in _chunkSquares)
        {
            sum += squares;
        }

        return Reductions.Norm2FromSumOfSquares<T>(sum, _reduced);
    }

    private void ScaleAndUpdate(int begin, int end)
    {
        if (_scale < T.One)
        {
            Blas.Scale(_scale, Gradients[begin..end]);
        }

        _optimizer.UpdateRange(_network.Parameters, Gradients, begin, end);
    }

    private static int FirstChunk(int worker, int workers) => worker * Chunks / workers;

    /// <summary>Chunks start at multiples of 64 elements (whole registers of every width); the last ends at the arena's end.</summary>
    private int ChunkStart(int chunk) =>
        chunk == Chunks ? _parameterCount : (int)((long)chunk * _parameterCount / Chunks) / Optimizer<T>.UpdateAlignment * Optimizer<T>.UpdateAlignment;

    /// <summary>One part per worker: worker w takes the same shards and chunks in every phase, so a chunk it reduced it also updates.</summary>
    private readonly struct PhaseParts(ShardedStep<T> step, int workers) : IParallelFor
    {
        public void Run(int part) => step.Execute(part, workers);
    }
}
