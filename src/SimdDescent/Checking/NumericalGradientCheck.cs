using System.Numerics;
using SimdDescent.Networks;
using SimdDescent.Training;
using SimdDescent.Training.Data;

namespace SimdDescent.Checking;

/// <summary>
/// The trainer's gradient check backed by <see cref="GradientChecker"/>: central differences per
/// element for small tensors, along random directions for large ones, the inputs too, and a bitwise
/// determinism check of backward. Pass it to <see cref="Trainer{T}"/> to check the first mini-batch
/// before training (and every <see cref="TrainerOptions.GradientCheckInterval"/> steps).
/// </summary>
public sealed class NumericalGradientCheck<T> : IGradientCheck<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    private readonly GradientCheckOptions? _options;

    /// <summary>Uses <paramref name="options"/>, or the checker's defaults for <typeparamref name="T"/>.</summary>
    public NumericalGradientCheck(GradientCheckOptions? options = null) => _options = options;

    /// <inheritdoc/>
    public GradientCheckOutcome Check(INetwork<T> network, DataSet<T> data, int firstRow, int rows)
    {
        ArgumentNullException.ThrowIfNull(data);
        var report = data.Kind == TargetKind.ClassLabels
            ? GradientChecker.Check(network, data.InputRows(firstRow, rows), data.LabelRows(firstRow, rows), rows, _options)
            : GradientChecker.Check(network, data.InputRows(firstRow, rows), data.TargetRows(firstRow, rows), rows, _options);
        return new GradientCheckOutcome(report.Passed, report.ToString());
    }
}
