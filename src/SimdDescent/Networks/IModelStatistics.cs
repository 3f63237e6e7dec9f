using System.Numerics;

namespace SimdDescent.Networks;

/// <summary>
/// State a model keeps beside its parameters that is saved with them but not trained: batch normalization's
/// running mean and variance and its count of batches (PyTorch's buffers <c>running_mean</c>, <c>running_var</c>
/// and <c>num_batches_tracked</c>). Optimizers and gradient checks never see it; weights files and checkpoints
/// carry it.
/// </summary>
public interface IModelStatistics<T>
    where T : unmanaged, IBinaryFloatingPointIeee754<T>
{
    /// <summary>The tensors of <see cref="Statistics"/>, in layer order, offsets into it.</summary>
    IReadOnlyList<TensorInfo> StatisticTensors { get; }

    /// <summary>Every statistic; training forward passes update it.</summary>
    Span<T> Statistics { get; }
}
