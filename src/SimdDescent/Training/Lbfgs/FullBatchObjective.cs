using System.Numerics;
using SimdDescent.Kernels;
using SimdDescent.Networks;
using SimdDescent.Training.Data;

namespace SimdDescent.Training.Lbfgs;

/// <summary>
/// A network's mean loss over a whole data set as a function of its parameters, for
/// <see cref="Lbfgs{T}"/>: each evaluation writes x into the network's parameters and runs every row
/// in batches of MaxBatch, weighting batch means by their rows. Runs in training mode, so a network
/// with dropout gives a noisy objective.
/// </summary>
public sealed class FullBatchObjective<T> : IObjective<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly INetwork<T> _network;
    private readonly DataSet<T> _data;

    /// <summary>The objective of <paramref name="network"/> on <paramref name="data"/>.</summary>
    /// <exception cref="ArgumentException">The data set does not fit the network.</exception>
    public FullBatchObjective(INetwork<T> network, DataSet<T> data)
    {
        ArgumentNullException.ThrowIfNull(network);
        TrainerArguments.Fits(network, data, nameof(data));
        _network = network;
        _data = data;
    }

    /// <inheritdoc/>
    public double Evaluate(ReadOnlySpan<T> x, Span<T> gradient)
    {
        var parameters = _network.Parameters;
        x.CopyTo(parameters);
        gradient.Clear();
        var workspace = _network.Workspace;
        workspace.IsTraining = true;
        var loss = 0.0;
        for (var first = 0; first < _data.Count; first += _network.MaxBatch)
        {
            var rows = Math.Min(_network.MaxBatch, _data.Count - first);
            var batchLoss = _data.Kind == TargetKind.ClassLabels
                ? workspace.Forward(_data.InputRows(first, rows), _data.LabelRows(first, rows), rows)
                : workspace.Forward(_data.InputRows(first, rows), _data.TargetRows(first, rows), rows);
            workspace.Backward();
            var weight = (double)rows / _data.Count;
            loss += double.CreateTruncating(batchLoss) * weight;
            Blas.Axpy(T.CreateTruncating(weight), workspace.Gradients[..parameters.Length], gradient);
        }

        return loss;
    }
}
