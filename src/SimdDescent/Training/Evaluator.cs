using System.Numerics;
using System.Runtime.CompilerServices;
using SimdDescent.Kernels;
using SimdDescent.Networks;
using SimdDescent.Training.Data;

namespace SimdDescent.Training;

/// <summary>Mean loss and accuracy of a network over a data set, in batches of its MaxBatch, with buffers allocated once.</summary>
internal sealed class Evaluator<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly INetwork<T> _network;
    private readonly T[] _outputs;
    private readonly int[] _predicted;
    private readonly T[] _gradient;

    public Evaluator(INetwork<T> network)
    {
        _network = network;
        _outputs = new T[network.MaxBatch * network.OutputWidth];
        _predicted = new int[network.MaxBatch];
        _gradient = network.TargetKind == TargetKind.ClassLabels ? new T[network.MaxBatch * network.OutputWidth] : [];
    }

    public EvaluationResult Evaluate(DataSet<T> data)
    {
        var workspace = _network.Workspace;
        var wasTraining = workspace.IsTraining;
        workspace.IsTraining = false;
        var classification = data.Kind == TargetKind.ClassLabels;
        var width = _network.OutputWidth;
        var lossSum = 0.0;
        var correct = 0;
        for (var first = 0; first < data.Count; first += _network.MaxBatch)
        {
            var rows = Math.Min(_network.MaxBatch, data.Count - first);
            var inputs = data.InputRows(first, rows);
            if (classification)
            {
                // Class labels mean softmax cross-entropy, so one inference pass gives the loss and the predictions.
                var labels = data.LabelRows(first, rows);
                var outputs = _outputs.AsSpan(0, rows * width);
                workspace.Predict(inputs, outputs, rows);
                lossSum += double.CreateTruncating(Losses.SoftmaxCrossEntropy<T>(outputs, labels, _gradient.AsSpan(0, rows * width), rows, width)) * rows;
                var predicted = _predicted.AsSpan(0, rows);
                Reductions.ArgMaxRows<T>(outputs, predicted, rows, width);
                for (var r = 0; r < rows; r++)
                {
                    correct += predicted[r] == labels[r] ? 1 : 0;
                }
            }
            else
            {
                lossSum += double.CreateTruncating(workspace.Forward(inputs, data.TargetRows(first, rows), rows)) * rows;
            }
        }

        workspace.IsTraining = wasTraining;
        return new EvaluationResult(lossSum / data.Count, classification ? (double)correct / data.Count : double.NaN, data.Count);
    }
}
